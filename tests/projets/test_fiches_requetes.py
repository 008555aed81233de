"""Each fiche-action page answers in a bounded number of queries, the same with 3 or 30 fiches, lines and notes."""

import pytest
from django.urls import reverse

from tests.factories import SCEAU, LigneFinancementFactory, ProjetFactory
from tests.html import lire
from ti.projets.actions import fiches as actions

from .saisie_fiche import saisie_existante
from .test_fiches_documents import PDF, fichier

pytestmark = pytest.mark.django_db

# Session, user and habilitations come first for a logged-in user; the journal's content type may be read once.
BORNES = {
    "liste_visiteur": 3,
    "liste_equipe": 6,
    "fiche_visiteur": 6,
    "fiche_equipe": 12,
    "formulaire_modification": 12,
    "formulaire_creation": 8,
    "enregistrement": 29 + SCEAU + 1,  # + 1: the content type of the first journal row of a run
    # The commonest save: a text changed, lines and links as they were, the plan already open. Neither the links nor
    # the lines are read twice, nor the commune again, nor the whole perimeter.
    "enregistrement_courant": 19
    + SCEAU,  # 34 when each was read twice  # + 1: the content type of the first journal row of a run
}


@pytest.fixture(params=[3, 30], ids=["3", "30"])
def territoire_rempli(request, chef_projet, projet_public, territoire_projets):
    """`n` more fiches in the territory; `n` more lines, notes, documents and journal rows on `projet_public`."""
    n = request.param
    for rang in range(n):
        ProjetFactory(territoire=territoire_projets, public=rang % 2 == 0, commune=projet_public.commune)
        LigneFinancementFactory(projet=projet_public, financeur=f"Financeur {rang}")
        actions.ajouter_note(projet=projet_public, par=chef_projet, texte=f"Note {rang}")
        actions.deposer_document(projet=projet_public, par=chef_projet, fichier=fichier(f"piece-{rang}.pdf", PDF))
    projet_public.refresh_from_db()
    territoire_projets.ajoutees, territoire_projets.publiques = n, (n + 1) // 2
    return territoire_projets


def fiches_listees(reponse) -> int:
    assert reponse.status_code == 200
    return reponse.context["page_obj"].paginator.count


def test_liste_des_fiches_pour_un_visiteur(client, territoire_rempli, django_assert_max_num_queries):
    with django_assert_max_num_queries(BORNES["liste_visiteur"]):
        reponse = client.get(reverse("projets:territoire", args=[territoire_rempli.identifiant]))
    assert lire(reponse).h1() == f"Fiches-action du territoire {territoire_rempli.nom}"
    assert fiches_listees(reponse) == 1 + territoire_rempli.publiques  # the published ones only


def test_liste_des_fiches_pour_l_equipe(client, chef_projet, territoire_rempli, django_assert_max_num_queries):
    client.force_login(chef_projet)
    with django_assert_max_num_queries(BORNES["liste_equipe"]):
        reponse = client.get(reverse("projets:territoire", args=[territoire_rempli.identifiant]))
    assert fiches_listees(reponse) == 1 + territoire_rempli.ajoutees


def test_fiche_pour_un_visiteur(client, projet_public, territoire_rempli, django_assert_max_num_queries):
    with django_assert_max_num_queries(BORNES["fiche_visiteur"]):
        reponse = client.get(projet_public.get_absolute_url())
    assert reponse.status_code == 200
    page = lire(reponse)
    assert page.h1() == projet_public.titre
    assert "Financeur 2" in page.texte


def test_fiche_pour_l_equipe(client, chef_projet, projet_public, territoire_rempli, django_assert_max_num_queries):
    client.force_login(chef_projet)
    with django_assert_max_num_queries(BORNES["fiche_equipe"]):
        page = client.get(projet_public.get_absolute_url())
    assert page.status_code == 200 and "Note 2" in page.content.decode()


def test_fiche_pour_l_instructeur_de_la_region(
    client, instructeur_region, projet_public, territoire_rempli, django_assert_max_num_queries
):
    client.force_login(instructeur_region)
    with django_assert_max_num_queries(BORNES["fiche_equipe"] + 1):  # the territory's régions, for a regional role
        reponse = client.get(projet_public.get_absolute_url())
    assert reponse.status_code == 200
    assert lire(reponse).h1() == projet_public.titre


def test_formulaire_de_modification(
    client, chef_projet, projet_public, territoire_rempli, django_assert_max_num_queries
):
    client.force_login(chef_projet)
    with django_assert_max_num_queries(BORNES["formulaire_modification"]):
        reponse = client.get(reverse("projets:modifier", args=[projet_public.pk]))
    assert reponse.status_code == 200
    assert lire(reponse).h1() == f"Modifier la fiche-action « {projet_public.titre} »"
    assert reponse.context["financements"].initial_form_count() == 2 + territoire_rempli.ajoutees


def test_formulaire_de_creation(client, chef_projet, territoire_rempli, django_assert_max_num_queries):
    client.force_login(chef_projet)
    with django_assert_max_num_queries(BORNES["formulaire_creation"]):
        reponse = client.get(reverse("projets:creer", args=[territoire_rempli.identifiant]))
    assert reponse.status_code == 200
    assert lire(reponse).h1() == "Nouvelle fiche-action"


def test_enregistrement_d_une_modification(
    client, chef_projet, projet_public, territoire_rempli, django_assert_max_num_queries
):
    saisie = saisie_existante(projet_public, titre="Nouveau titre", **{"lignes-0-montant": "1 000"})
    client.force_login(chef_projet)
    with django_assert_max_num_queries(BORNES["enregistrement"]):
        assert client.post(reverse("projets:modifier", args=[projet_public.pk]), saisie).status_code == 302


def test_enregistrement_courant(client, chef_projet, projet_public, territoire_rempli, django_assert_max_num_queries):
    url = reverse("projets:modifier", args=[projet_public.pk])
    client.force_login(chef_projet)
    assert client.post(url, saisie_existante(projet_public, description="Première version")).status_code == 302
    projet_public.refresh_from_db()
    saisie = saisie_existante(projet_public, description="Seconde version")
    with django_assert_max_num_queries(BORNES["enregistrement_courant"]):
        assert client.post(url, saisie).status_code == 302
    projet_public.refresh_from_db()
    assert projet_public.description == "Seconde version"
