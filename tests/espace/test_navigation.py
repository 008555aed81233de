"""The main menu: public for a visitor, by role for a signed-in person, computed without a query of its own."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import utilisateur_avec
from ti.comptes.models import Habilitation, Role

pytestmark = pytest.mark.django_db
PAGE = "/territoires/commune/"  # a page without a query of its own


def menu(client, adresse=PAGE) -> list[str]:
    """The labels of the main menu's first level, in order."""
    html = client.get(adresse).content.decode()
    nav = html[html.index('id="fr-navigation"') : html.index("</nav>", html.index('id="fr-navigation"'))]
    return re.findall(r'<li class="fr-nav__item">\s*(?:<a class="fr-nav__link"[^>]*>|<button[^>]*>)([^<]+)<', nav)


def test_le_visiteur_a_le_menu_public(client):
    assert menu(client) == [
        "Accueil",
        "Les territoires",
        "Ma commune",
        "Les projets",
        "Sites clés en main",
        "Les aides",
        "Ingénierie",
        "Animation du réseau",
        "Données et API",
        "Croiser un fichier",
    ]


def test_le_porteur_a_ses_dossiers_et_pas_l_instruction(client, porteur):
    client.force_login(porteur)

    assert menu(client) == ["À faire", "Mes dossiers", "Projets", "Le programme"]


def test_l_instructeur_a_l_instruction_et_sa_region(client, instructeur_cvl):
    client.force_login(instructeur_cvl)

    entrees = menu(client)

    assert entrees[:3] == ["À faire", "Ma région", "Instruction"]
    assert "Mes dossiers" not in entrees and "Avis à rendre" not in entrees and "Pilotage" not in entrees


def test_l_ademe_a_ses_avis_a_rendre(client, expert_ademe_cvl):
    client.force_login(expert_ademe_cvl)

    html = client.get(PAGE).content.decode()

    assert f'href="{reverse("financements:avis_attendus")}">Avis à rendre</a>' in html
    assert "Instruction" not in menu(client)


def test_le_binome_a_son_territoire_et_ses_avis(client, binome_cvl, territoire_cvl):
    client.force_login(binome_cvl)

    html = client.get(PAGE).content.decode()

    assert f'href="{reverse("territoires:detail", args=[territoire_cvl.identifiant])}">Mon territoire</a>' in html
    assert menu(client) == [
        "À faire",
        "Mon territoire",
        "Avis à rendre",
        "Projets",
        "Ingénierie",
        "Réseau",
        "Le programme",
    ]


def test_l_equipe_nationale_a_le_pilotage_et_l_instruction(client, equipe_nationale):
    client.force_login(equipe_nationale)

    entrees = menu(client)

    assert "Pilotage" in entrees and "Instruction" in entrees and "Mon territoire" not in entrees


def test_le_consultant_a_l_ingenierie_sans_le_reseau(client, consultant):
    client.force_login(consultant)

    assert menu(client) == ["À faire", "Projets", "Ingénierie", "Le programme"]


def test_la_page_courante_est_signalee_une_fois(client, porteur):
    client.force_login(porteur)

    html = client.get(reverse("espace:a_faire")).content.decode()

    assert re.findall(r'href="([^"]+)" aria-current="page"', html) == [reverse("espace:a_faire")]


def test_le_menu_ne_coute_aucune_requete_a_l_instructeur(client, instructeur_cvl, django_assert_num_queries):
    """Session, account, second-factor device: the habilitations come from the session kept at login."""
    client.force_login(instructeur_cvl)

    with django_assert_num_queries(3):
        assert "Instruction" in client.get(PAGE).content.decode()


def test_avis_a_rendre_est_courant_sur_sa_page_seulement(client, binome_cvl):
    client.force_login(binome_cvl)
    avis = reverse("financements:avis_attendus")

    courants = r'class="fr-nav__link" href="([^"]+)" aria-current="page"'
    assert re.findall(courants, client.get(avis).content.decode()) == [avis]
    plans = client.get(reverse("espace:genre", args=["plans_a_valider"])).content.decode()
    assert re.findall(courants, plans) == []


def test_une_habilitation_retiree_quitte_le_menu_a_la_page_suivante_qui_lit_les_droits(client, cvl):
    instructeur = utilisateur_avec(Role.INSTRUCTEUR, region=cvl)
    client.force_login(instructeur)
    assert "Instruction" in menu(client)

    Habilitation.objects.filter(utilisateur=instructeur).update(revoquee_le=timezone.now())

    client.get(reverse("espace:a_faire"))  # reads the rights: the menu follows
    assert "Instruction" not in menu(client)
