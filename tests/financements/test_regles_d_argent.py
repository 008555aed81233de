"""The money and instruction rules of issue 9, item 7: stale opinions, a motive above the proposal, credits released
to the envelope at the convention and at the solde, bounded dates, bounded quantities on the dossier."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ti.core.models import Journal
from ti.financements import selectors
from ti.financements.actions import depot
from ti.financements.actions import instruction as actions
from ti.financements.models import Avis, Dossier, Enveloppe, Statut
from ti.financements.selectors_file import dossiers_de_la_file

from ..factories import DossierFactory

pytestmark = pytest.mark.django_db
M = Decimal
AUJOURD_HUI = timezone.localdate
DEMANDE = Decimal("250000")


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)


def frais(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def propose(dossier, par, montant=DEMANDE):
    dossier = actions.ouvrir_instruction(dossier=dossier, par=par, version=dossier.version)
    return actions.proposer(dossier=dossier, par=par, version=dossier.version, montant_propose=montant)


def accepte(dossier, par, montant=DEMANDE):
    dossier = propose(dossier, par, montant)
    return actions.decider(dossier=dossier, par=par, version=dossier.version, statut=Statut.ACCEPTE, montant=montant)


def engage(dossier, par, *, accorde=DEMANDE, engage=DEMANDE, jour=None):
    dossier = accepte(dossier, par, accorde)
    return actions.engager(
        dossier=dossier,
        par=par,
        version=dossier.version,
        convention_numero="CVL-2026-001",
        convention_date=jour or AUJOURD_HUI(),
        montant=engage,
    )


def verse(dossier, par, montant, type="acompte", jour=None):
    dossier = frais(dossier)
    return actions.enregistrer_versement(
        dossier=dossier, par=par, version=dossier.version, type=type, montant=M(montant), date=jour or AUJOURD_HUI()
    )


# Stale opinions.


@pytest.fixture
def avis_rendu(dossier_cvl, instructeur_cvl, expert_ademe_cvl):
    dossier = actions.ouvrir_instruction(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version)
    avis = actions.demander_avis(
        dossier=dossier,
        par=instructeur_cvl,
        version=dossier.version,
        type=Avis.Type.ADEME,
        echeance=AUJOURD_HUI() + timedelta(days=10),
    )
    return actions.rendre_avis(avis=avis, par=expert_ademe_cvl, sens=Avis.Sens.FAVORABLE, texte="Projet solide.")


def _incomplet_puis_modifie(dossier, instructeur, porteur, **donnees):
    dossier = frais(dossier)
    dossier = actions.declarer_incomplet(dossier=dossier, par=instructeur, version=dossier.version, motif="Devis ?")
    return depot.enregistrer(dossier=dossier, par=porteur, version=dossier.version, donnees=donnees, lignes=[])


def test_l_avis_porte_la_version_des_montants_qu_il_a_jugee(avis_rendu):
    assert avis_rendu.version_jugee == frais(avis_rendu.dossier).version_montants == 1
    assert not avis_rendu.perime


def test_l_avis_est_perime_quand_le_porteur_change_les_montants(client, avis_rendu, instructeur_cvl, porteur):
    dossier = _incomplet_puis_modifie(avis_rendu.dossier, instructeur_cvl, porteur, aide_demandee=M("400000"))
    assert dossier.version_montants == 2
    avis = Avis.objects.select_related("dossier").get(pk=avis_rendu.pk)
    assert avis.perime
    client.force_login(instructeur_cvl)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Périmé" in page
    assert "Il ne compte plus comme rendu" in page
    assert "Projet solide." in page  # shown all the same
    assert dossiers_de_la_file(instructeur_cvl).get(pk=dossier.pk).avis_en_attente == 1  # not counted as given
    journal = Journal.objects.filter(action="dossier_modifie").latest("pk")
    assert journal.details["version_montants"] == [1, 2]


def test_changer_la_description_ne_perime_pas_l_avis(avis_rendu, instructeur_cvl, porteur):
    dossier = _incomplet_puis_modifie(avis_rendu.dossier, instructeur_cvl, porteur, description="Plus de détails.")
    assert dossier.version_montants == 1
    assert not Avis.objects.select_related("dossier").get(pk=avis_rendu.pk).perime
    assert dossiers_de_la_file(instructeur_cvl).get(pk=dossier.pk).avis_en_attente == 0


# A decision above the proposal.


def test_accorder_plus_que_la_proposition_demande_un_motif(dossier_cvl, instructeur_cvl):
    dossier = propose(dossier_cvl, instructeur_cvl, M("200000"))
    with pytest.raises(actions.Refus, match="dépasse le montant proposé .* motivez la décision"):
        actions.decider(
            dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.ACCEPTE, montant=M("200000.01")
        )
    assert frais(dossier).statut == Statut.PROPOSE
    assert Enveloppe.objects.get().montant_accorde == 0
    dossier = actions.decider(
        dossier=dossier,
        par=instructeur_cvl,
        version=dossier.version,
        statut=Statut.ACCEPTE,
        montant=M("250000"),
        motif="Le comité a retenu le coût actualisé du devis.",
    )
    assert dossier.montant_accorde == M("250000")


def test_accorder_la_proposition_ou_moins_se_passe_de_motif(dossier_cvl, instructeur_cvl):
    dossier = propose(dossier_cvl, instructeur_cvl, M("200000"))
    dossier = actions.decider(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.ACCEPTE, montant=M("150000")
    )
    assert dossier.statut == Statut.ACCEPTE


def test_la_page_explique_le_motif_manquant(client, dossier_cvl, instructeur_cvl):
    dossier = propose(dossier_cvl, instructeur_cvl, M("200000"))
    client.force_login(instructeur_cvl)
    reponse = client.post(
        reverse("financements:etape", args=[dossier.reference]),
        {
            "etape": "decider",
            "decider-version": dossier.version,
            "decider-statut": "accepte",
            "decider-montant": "250000",
        },
    )
    assert reponse.status_code == 400
    assert "motivez la décision" in reponse.content.decode()


# Credits released to the envelope.


def test_la_part_accordee_non_engagee_revient_a_l_enveloppe(dossier_cvl, instructeur_cvl, enveloppe_cvl):
    engage(dossier_cvl, instructeur_cvl, accorde=M("250000"), engage=M("200000"))
    enveloppe = Enveloppe.objects.get(pk=enveloppe_cvl.pk)
    assert enveloppe.montant_accorde == M("200000")
    assert enveloppe.reste == enveloppe.montant - M("200000")
    assert selectors.jauge(enveloppe).accorde == M("200000")
    assert selectors.jauge(enveloppe).reste == enveloppe.reste
    journal = Journal.objects.get(action="credits_liberes")
    assert journal.details == {
        "dossier": dossier_cvl.reference,
        "montant": "50000.00",
        "raison": "part accordée non engagée",
    }
    assert journal.acteur == instructeur_cvl


def test_le_reste_non_verse_au_solde_revient_a_l_enveloppe(dossier_cvl, instructeur_cvl, enveloppe_cvl):
    engage(dossier_cvl, instructeur_cvl)
    verse(dossier_cvl, instructeur_cvl, "50000", type="avance")
    verse(dossier_cvl, instructeur_cvl, "100000", type="solde")
    enveloppe = Enveloppe.objects.get(pk=enveloppe_cvl.pk)
    assert (enveloppe.montant_accorde, enveloppe.montant_verse) == (M("150000"), M("150000"))
    assert selectors.jauge(enveloppe).accorde == M("150000")
    assert Journal.objects.get(action="credits_liberes").details["montant"] == "100000.00"
    dossier = frais(dossier_cvl)
    assert (dossier.montant_accorde, dossier.montant_engage, dossier.montant_verse) == (
        M("250000"),
        M("250000"),
        M("150000"),
    )


def test_un_engagement_complet_ne_libere_rien(dossier_cvl, instructeur_cvl, enveloppe_cvl):
    engage(dossier_cvl, instructeur_cvl)
    verse(dossier_cvl, instructeur_cvl, "250000", type="solde")
    assert Enveloppe.objects.get(pk=enveloppe_cvl.pk).montant_accorde == M("250000")
    assert not Journal.objects.filter(action="credits_liberes").exists()


def test_les_credits_liberes_servent_un_autre_dossier(
    dossier_cvl, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis
):
    Enveloppe.objects.filter(pk=enveloppe_cvl.pk).update(montant=M("300000"))
    engage(dossier_cvl, instructeur_cvl, accorde=M("250000"), engage=M("100000"))
    autre = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis)
    assert accepte(autre, instructeur_cvl, M("200000")).statut == Statut.ACCEPTE


# Bounded dates.


@pytest.mark.parametrize(
    ("decalage", "message"),
    [
        (-1, "La date de la convention ne peut pas précéder la décision du"),
        (32, "La date de la convention est trop lointaine : au plus tard le"),
    ],
)
def test_la_date_de_la_convention_est_bornee(dossier_cvl, instructeur_cvl, decalage, message):
    with pytest.raises(actions.Refus, match=message):
        engage(dossier_cvl, instructeur_cvl, jour=AUJOURD_HUI() + timedelta(days=decalage))
    assert frais(dossier_cvl).statut == Statut.ACCEPTE


def test_une_convention_du_mois_a_venir_est_admise(dossier_cvl, instructeur_cvl):
    assert engage(dossier_cvl, instructeur_cvl, jour=AUJOURD_HUI() + timedelta(days=31)).statut == Statut.ENGAGE


@pytest.mark.parametrize(
    ("decalage", "message"),
    [
        (-1, "La date du versement ne peut pas précéder la convention du"),
        (32, "La date du versement est trop lointaine"),
    ],
)
def test_la_date_d_un_versement_est_bornee(dossier_cvl, instructeur_cvl, decalage, message):
    engage(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match=message):
        verse(dossier_cvl, instructeur_cvl, "1000", jour=AUJOURD_HUI() + timedelta(days=decalage))
    assert frais(dossier_cvl).montant_verse == 0


def test_la_page_explique_une_date_de_convention_trop_ancienne(client, dossier_cvl, instructeur_cvl):
    dossier = accepte(dossier_cvl, instructeur_cvl)
    client.force_login(instructeur_cvl)
    reponse = client.post(
        reverse("financements:etape", args=[dossier.reference]),
        {
            "etape": "engager",
            "engager-version": dossier.version,
            "engager-convention_numero": "CVL-1",
            "engager-convention_date": "2020-01-01",
            "engager-montant": "250000",
        },
    )
    assert reponse.status_code == 400
    assert "ne peut pas précéder la décision" in reponse.content.decode()


# Bounded quantities on the porteur's form.


def test_le_formulaire_du_dossier_borne_les_emplois(client, porteur, enveloppe_cvl, territoire_fv, montargis):
    brouillon = DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        deposant=porteur,
        statut=Statut.BROUILLON,
        depose_le=None,
    )
    client.force_login(porteur)
    reponse = client.post(
        reverse("financements:modifier", args=[brouillon.reference]),
        {
            "version": brouillon.version,
            "intitule": brouillon.intitule,
            "emplois_crees": "9223372036854775807",
            "energie_economisee": "100 000 001",
            "lignes-TOTAL_FORMS": "0",
            "lignes-INITIAL_FORMS": "0",
        },
    )
    assert reponse.status_code == 400
    erreurs = reponse.context["form"].errors
    assert erreurs["emplois_crees"] == ["La valeur dépasse le plafond de 100\u00a0000 emplois : vérifiez-la."]
    assert erreurs["energie_economisee"] == ["La valeur dépasse le plafond de 100\u00a0000\u00a0000 MWh : vérifiez-la."]
    assert frais(brouillon).emplois_crees is None
