"""The network's figures: participation by territory and région, people never reached, most-read resources, open
questions; for the national team (everything) and the regional referents (their région) only; in bounded queries;
summarised on the national board."""

import pytest
from django.urls import reverse

from ti.animation import actions_echanges as actions
from ti.animation import selectors_chiffres as chiffres
from ti.animation.models import Inscription, StatutInscription
from ti.comptes.models import Role

from ..factories import utilisateur_avec
from .conftest import creer_evenement


@pytest.fixture
def reseau(equipe_nationale, territoire_cvl, territoire_bretagne, referent_region_cvl):
    """Two chefs in CVL (one came, one never reached), a binôme in Bretagne who asked an unanswered question."""
    venu = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl, utilisateur__nom="Venu")
    absent = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl, utilisateur__nom="Jamais")
    breton = utilisateur_avec(Role.BINOME, territoire=territoire_bretagne, utilisateur__nom="Breton")
    atelier = creer_evenement(equipe_nationale, capacite=5)
    Inscription.objects.create(evenement=atelier, participant=venu, statut=StatutInscription.INSCRIT, present=True)
    Inscription.objects.create(evenement=creer_evenement(equipe_nationale, titre="Autre"), participant=venu,
                               statut=StatutInscription.ANNULEE)  # fmt: skip
    actions.ouvrir_fil(par=breton, theme="foncier", titre="Qui connaît un bon bureau d’études ?", texte="…")
    repondue = actions.ouvrir_fil(par=referent_region_cvl, theme="autre", titre="Question close", texte="…")
    actions.repondre(fil=repondue, par=venu, texte="Oui.")
    return {"venu": venu, "absent": absent, "breton": breton}


def test_participation_par_territoire(reseau):
    lignes = {ligne["nom"]: ligne for ligne in chiffres.participation_par_territoire()}
    assert lignes["Est du Loiret"] == {
        "nom": "Est du Loiret",
        "membres": 2,
        "inscriptions": 1,
        "presences": 1,
        "participants": 1,
    }  # fmt: skip  (the cancelled one does not count)
    assert (lignes["Lorient"]["membres"], lignes["Lorient"]["inscriptions"]) == (1, 0)


def test_participation_par_region(reseau):
    lignes = {ligne["code"]: ligne for ligne in chiffres.participation_par_region()}
    assert (lignes["24"]["membres"], lignes["24"]["inscriptions"], lignes["24"]["presences"]) == (3, 1, 1)
    assert (lignes["53"]["membres"], lignes["53"]["inscriptions"]) == (1, 0)
    assert [ligne["code"] for ligne in chiffres.participation_par_region({"53"})] == ["53"]


def test_jamais_atteints(reseau, equipe_nationale):
    # The referent wrote, the chef who came registered, the binôme asked; only one chef never was reached.
    assert list(chiffres.jamais_atteints()) == [reseau["absent"]]
    assert list(chiffres.jamais_atteints({"53"})) == []


def test_questions_sans_reponse(reseau, equipe_nationale):
    assert [f.titre for f in chiffres.questions_sans_reponse(equipe_nationale)] == [
        "Qui connaît un bon bureau d’études ?"
    ]


@pytest.mark.parametrize(
    ("qui", "statut"),
    [("anonyme", 302), ("chef", 404), ("instructeur", 404), ("referent", 200), ("national", 200)],
)
def test_qui_voit_les_chiffres(client, reseau, instructeur_cvl, referent_region_cvl, equipe_nationale, qui, statut):
    personnes = {"chef": reseau["venu"], "instructeur": instructeur_cvl, "referent": referent_region_cvl,
                 "national": equipe_nationale}  # fmt: skip
    if qui != "anonyme":
        client.force_login(personnes[qui])
    assert client.get(reverse("animation:chiffres")).status_code == statut


def test_le_referent_ne_voit_que_sa_region(client, reseau, referent_region_cvl):
    client.force_login(referent_region_cvl)
    page = client.get(reverse("animation:chiffres")).content.decode()
    assert "Est du Loiret" in page and "Lorient" not in page and "Camille Jamais" in page


def test_page_des_chiffres_en_requetes_bornees(client, reseau, equipe_nationale, territoire_cvl,
                                               django_assert_max_num_queries):  # fmt: skip
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(14):
        client.get(reverse("animation:chiffres"))
    for i in range(15):
        chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)
        evenement = creer_evenement(equipe_nationale, titre=f"Atelier {i}")
        Inscription.objects.create(evenement=evenement, participant=chef, statut=StatutInscription.INSCRIT)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("animation:chiffres")).content.decode()
    assert "Personnes jamais atteintes (1)" in page


def test_resume_sur_le_tableau_national(client, reseau, equipe_nationale):
    client.force_login(equipe_nationale)
    page = client.get(reverse("projets:chiffres_national")).content.decode()
    assert "Animation du réseau" in page and "personnes jamais atteintes" in page
    assert reverse("animation:chiffres") in page


def test_le_resume_du_tableau_national_suit_chaque_question_posee(client, reseau, equipe_nationale):
    client.force_login(equipe_nationale)
    avant = client.get(reverse("projets:chiffres_national")).context["resume"]
    assert avant.questions_sans_reponse == 1

    actions.ouvrir_fil(par=reseau["absent"], theme="autre", titre="Une nouvelle question", texte="…")

    assert client.get(reverse("projets:chiffres_national")).context["resume"].questions_sans_reponse == 2
