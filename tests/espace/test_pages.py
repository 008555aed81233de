"""The « À faire » page and the page of one kind: where a person lands, what it costs."""

import zoneinfo
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.animation.conftest import creer_evenement
from tests.connexion import ClientVerifie
from tests.factories import utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from ti.animation.models import Inscription, StatutInscription
from ti.comptes.models import Role
from ti.espace import a_faire
from ti.espace.a_faire import COLLECTEURS, LIMITE
from ti.financements.models import Avis, Statut
from ti.ingenierie.models import StatutDemande
from ti.projets.models import StatutPlan

from .conftest import (
    AUTRE_SIRET,
    SIRET,
    demande_ingenierie,
    demander_avis,
    demander_correction,
    ecrire,
    livrable,
    plan,
    tout_role,
)

pytestmark = pytest.mark.django_db
A_FAIRE = reverse("espace:a_faire")


def test_le_porteur_lit_la_demande_de_l_instruction_et_va_au_formulaire(client, porteur, dossier, instructeur_cvl):
    incomplet = dossier(intitule="Chaudière biomasse")
    demander_correction(incomplet, instructeur_cvl)
    client.force_login(porteur)

    page = client.get(A_FAIRE).content.decode()

    assert "1 action vous attend." in page
    assert (
        '<a class="fr-summary__link" href="#corrections_demandees">Compléments demandés par l’instruction (1)</a>'
        in page
    )
    assert f'href="{reverse("financements:modifier", args=[incomplet.reference])}">' in page
    assert "Ajoutez le devis signé du fournisseur." in page


def test_rien_a_faire_est_dit(client, porteur):
    client.force_login(porteur)

    assert "Rien ne vous attend pour l’instant" in client.get(A_FAIRE).content.decode()


def test_a_faire_demande_une_connexion(client, db):
    reponse = client.get(A_FAIRE)

    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))


@pytest.fixture
def polyvalent(cvl, territoire_cvl, chef_projet_cvl, consultant, dossier, instructeur_cvl, equipe_nationale):
    """A person holding every role, and `remplir(n)` that gives them `n` more items of every kind."""
    user = tout_role(cvl, territoire_cvl)
    porteur = utilisateur_avec(Role.PORTEUR, siret=SIRET)
    plan(territoire_cvl, StatutPlan.SOUMIS)

    def remplir(n: int) -> None:
        for _ in range(n):
            demander_correction(dossier(porteur_siret=AUTRE_SIRET), instructeur_cvl)
            dossier(porteur_siret=AUTRE_SIRET, statut=Statut.BROUILLON, depose_le=None)
            ecrit = dossier(statut=Statut.EN_INSTRUCTION)
            ecrire(ecrit, porteur)
            for type_avis in Avis.Type.values:
                demander_avis(ecrit, type_avis, instructeur_cvl, dans_jours=-1)
            for statut in (Statut.DEPOSE, Statut.PROPOSE, Statut.ENGAGE):
                dossier(statut=statut, convention_date=timezone.localdate())
            for statut in (StatutDemande.SOUMISE, StatutDemande.EN_EXAMEN, StatutDemande.ACCEPTEE):
                demande_ingenierie(territoire_cvl, chef_projet_cvl, statut)
            mission = MissionFactory(territoire=territoire_cvl)
            mission.consultants.add(user)
            livrable(mission, consultant)
            evenement = creer_evenement(equipe_nationale)
            Inscription.objects.create(evenement=evenement, participant=user, statut=StatutInscription.INSCRIT)

    return user, remplir


@pytest.mark.parametrize("nombre", [1, LIMITE + 5])
def test_a_faire_en_requetes_bornees_quel_que_soit_le_nombre(client, polyvalent, nombre, django_assert_max_num_queries):
    user, remplir = polyvalent
    remplir(nombre)
    client.force_login(user)

    # session, account, second-factor device, habilitations, the régions' envelopes; then per kind its first rows,
    # and their count when they fill the page
    with django_assert_max_num_queries(5 + 2 * len(COLLECTEURS)):
        reponse = client.get(A_FAIRE)

    groupes = {g.code: g.total for g in reponse.context["groupes"]}
    assert groupes["avis_a_rendre"] == 3 * nombre and groupes["avis_en_retard"] == 3 * nombre
    assert groupes["corrections_demandees"] == nombre and groupes["missions_a_mener"] == nombre
    attendus = {collecteur.__name__ for _, collecteur in COLLECTEURS} - {"plans_a_reprendre"}  # it was submitted
    assert set(groupes) == attendus
    for groupe in reponse.context["groupes"]:
        assert len(groupe.elements) == min(groupe.total, LIMITE)


def test_les_requetes_ne_grandissent_pas_avec_les_donnees(client, polyvalent):
    user, remplir = polyvalent
    client.force_login(user)
    remplir(LIMITE)
    with CaptureQueriesContext(connection) as peu:
        client.get(A_FAIRE)
    remplir(LIMITE + 2)
    with CaptureQueriesContext(connection) as beaucoup:
        page = client.get(A_FAIRE).content.decode()

    assert len(beaucoup) == len(peu)
    assert f"Voir les {3 * (2 * LIMITE + 2)}" in page  # more than shown: the link to the whole list


def test_au_dela_du_plafond_le_compte_dit_plus_de_et_la_page_du_genre_compte_tout(
    client, expert_ademe_cvl, dossier, instructeur_cvl, monkeypatch
):
    monkeypatch.setattr(a_faire, "PLAFOND", LIMITE + 1)
    for _ in range(LIMITE + 3):
        demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.ADEME, instructeur_cvl)
    client.force_login(expert_ademe_cvl)

    reponse = client.get(A_FAIRE)
    groupe = {g.code: g for g in reponse.context["groupes"]}["avis_a_rendre"]
    page = reponse.content.decode()

    assert (groupe.total, groupe.plus_de) == (LIMITE + 1, True)
    assert f"Avis à rendre (plus de {LIMITE + 1})" in page and f"plus de {LIMITE + 1} actions vous attendent" in page
    assert "Voir tout" in page and f"Voir les {LIMITE + 1}" not in page
    genre = client.get(reverse("espace:genre", args=["avis_a_rendre"])).context["groupe"]
    assert (genre.total, genre.plus_de, len(genre.elements)) == (LIMITE + 3, False, LIMITE + 3)


def test_au_plafond_exact_le_compte_est_exact(client, expert_ademe_cvl, dossier, instructeur_cvl, monkeypatch):
    monkeypatch.setattr(a_faire, "PLAFOND", LIMITE + 1)
    for _ in range(LIMITE + 1):
        demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.ADEME, instructeur_cvl)
    client.force_login(expert_ademe_cvl)

    groupe = {g.code: g for g in client.get(A_FAIRE).context["groupes"]}["avis_a_rendre"]

    assert (groupe.total, groupe.plus_de, groupe.total_en_mots) == (LIMITE + 1, False, str(LIMITE + 1))


def test_la_page_d_un_genre_montre_tout_et_un_genre_inconnu_est_introuvable(
    client, expert_ademe_cvl, dossier, instructeur_cvl
):
    for _ in range(LIMITE + 2):
        demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.ADEME, instructeur_cvl)
    client.force_login(expert_ademe_cvl)

    reponse = client.get(reverse("espace:genre", args=["avis_a_rendre"]))

    assert reponse.status_code == 200
    assert len(reponse.context["groupe"].elements) == LIMITE + 2
    assert client.get(reverse("espace:genre", args=["inconnu"])).status_code == 404
    vide = client.get(reverse("espace:genre", args=["plans_a_valider"])).content.decode()
    assert "Rien ne vous attend dans cette liste" in vide


# --- Kept for its reader until the next write (ti.core.cache.pour_le_lecteur) --------------------------------------


def _lit_des_dossiers(client) -> bool:
    with CaptureQueriesContext(connection) as lues:
        client.get(A_FAIRE)
    return any("financements_" in q["sql"] for q in lues.captured_queries)


def test_a_faire_est_garde_pour_son_lecteur_jusqu_a_la_prochaine_ecriture(client, dossier, instructeur_cvl):
    dossier(intitule="Premier dépôt")
    client.force_login(instructeur_cvl)
    assert "Premier dépôt" in client.get(A_FAIRE).content.decode()
    assert not _lit_des_dossiers(client)  # the next visit of the same generation reads no dossier

    dossier(intitule="Second dépôt")  # any write: his next page shows it
    page = client.get(A_FAIRE).content.decode()

    assert "Premier dépôt" in page and "Second dépôt" in page


def test_ce_qui_est_garde_pour_un_lecteur_ne_sert_a_aucun_autre(client, dossier, instructeur_cvl, bretagne):
    dossier(intitule="Dépôt du Centre")
    autre = ClientVerifie()
    autre.force_login(utilisateur_avec(Role.INSTRUCTEUR, region=bretagne))
    client.force_login(instructeur_cvl)  # both signed in first: no write between their visits
    assert "Dépôt du Centre" in client.get(A_FAIRE).content.decode()

    page = autre.get(A_FAIRE).content.decode()
    assert "Rien ne vous attend pour l’instant" in page and "Dépôt du Centre" not in page


def test_une_habilitation_retiree_compte_des_la_visite_suivante(client, dossier, instructeur_cvl):
    dossier(intitule="Dépôt du Centre")
    client.force_login(instructeur_cvl)
    assert "Dépôt du Centre" in client.get(A_FAIRE).content.decode()

    habilitation = instructeur_cvl.habilitations.get()
    habilitation.revoquee_le = timezone.now()
    habilitation.save()

    assert "Dépôt du Centre" not in client.get(A_FAIRE).content.decode()


def test_le_lendemain_l_avis_echu_est_en_retard_sans_aucune_ecriture(client, dossier, instructeur_cvl):
    import time_machine

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    with time_machine.travel(datetime(2026, 3, 10, 23, 58, tzinfo=paris), tick=False):
        demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.ADEME, instructeur_cvl, dans_jours=0)
        client.force_login(instructeur_cvl)
        assert "avis_en_retard" not in {g.code for g in client.get(A_FAIRE).context["groupes"]}

    with time_machine.travel(datetime(2026, 3, 11, 0, 1, tzinfo=paris), tick=False):  # three minutes on, no write
        groupes = {g.code: g.total for g in client.get(A_FAIRE).context["groupes"]}

    assert groupes["avis_en_retard"] == 1
