"""The page layout (templates/base.html): what every visitor gets, and what it costs a request."""

import re

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import utilisateur_avec
from ti.comptes.models import Role

PAGE = "/territoires/commune/"  # a page without a query of its own: what remains is the layout's


def _html(response) -> str:
    return response.content.decode()


def test_un_visiteur_a_les_liens_d_evitement_l_en_tete_le_menu_et_le_pied_de_page(client, db):
    html = _html(client.get(PAGE))

    assert html.startswith('\n<!DOCTYPE html>\n<html lang="fr"')
    assert '<a class="fr-link" href="#content">Contenu</a>' in html
    assert '<a class="fr-link" href="#fr-navigation">Menu</a>' in html
    assert '<a class="fr-link" href="#footer">Pied de page</a>' in html
    assert 'id="content" role="main"' in html and 'id="fr-navigation"' in html and 'id="footer"' in html
    assert f'href="{reverse("comptes:connexion")}">Se connecter</a>' in html
    assert "Se déconnecter" not in html and "À faire" not in html
    assert "<title>Ma commune est-elle dans un Territoire d’industrie ? — Territoires d’industrie</title>" in html
    assert html.count("<script") == 2 and "nonce" not in html
    assert "Licence Ouverte 2.0" in html


def test_le_menu_signale_la_rubrique_courante(client, db):
    html = _html(client.get(reverse("territoires:liste")))

    courants = re.findall(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">', html)
    assert courants == [reverse("territoires:liste")]


def test_une_personne_connectee_a_son_espace_la_deconnexion_et_son_menu(client, equipe_nationale):
    client.force_login(equipe_nationale)

    html = _html(client.get(reverse("projets:annuaire")))

    assert f'href="{reverse("comptes:mon_espace")}">Mon espace</a>' in html
    assert re.search(
        rf'<form method="post" action="{reverse("comptes:deconnexion")}"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="\w+">',
        html,
    )
    assert re.search(rf'href="{reverse("projets:annuaire")}" aria-current="page">Projets</a>', html)
    assert f'href="{reverse("espace:a_faire")}">À faire</a>' in html
    assert "Se connecter" not in html


def test_les_fragments_fixes_ne_suivent_pas_d_une_page_a_l_autre(client, equipe_nationale):
    """Rendered once per process, the fixed parts must not keep anything of the first page or the first user."""
    anonyme = _html(client.get(reverse("territoires:liste")))
    client.force_login(equipe_nationale)
    connecte = _html(client.get(reverse("projets:annuaire")))

    assert "Se connecter" in anonyme and "Se déconnecter" not in anonyme
    assert "Se déconnecter" in connecte and "Se connecter" not in connecte
    courants = re.findall(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">', connecte)
    assert courants == [reverse("projets:annuaire")]


def test_la_mise_en_page_ne_coute_aucune_requete_au_visiteur(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(PAGE)


def test_la_mise_en_page_coute_trois_requetes_a_une_personne_connectee(
    client, instructeur_cvl, django_assert_num_queries
):
    """The session, the account, and what the second factor needs (ti/comptes/double_facteur.py): the verified
    device for an instructor, the habilitations (to know it needs none) for a porteur, reused by the pages that
    check a right."""
    client.force_login(instructeur_cvl)
    with django_assert_num_queries(3):
        client.get(PAGE)

    client.force_login(utilisateur_avec(Role.PORTEUR, siret="91234567500017"))
    with django_assert_num_queries(3):
        client.get(PAGE)


def test_le_nonce_d_une_politique_de_securite_des_contenus_est_porte_par_les_scripts(db):
    requete = RequestFactory().get("/")
    requete.user, requete.csp_nonce = AnonymousUser(), "abc123"

    html = render_to_string("core/erreur.html", {"code": 404, "titre": "Page introuvable"}, request=requete)

    assert html.count('nonce="abc123"') == 2


# The tags -------------------------------------------------------------------------------------------------------
