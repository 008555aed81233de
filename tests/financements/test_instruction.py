"""Instruction of a dossier, transition by transition, through the actions and the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ti.financements.actions import instruction as actions
from ti.financements.models import Avis, Dossier, Enveloppe, Statut, Transition

from ..factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)


def frais(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def en_instruction(dossier, par):
    return actions.ouvrir_instruction(dossier=dossier, par=par, version=dossier.version)


def propose(dossier, par, montant=Decimal("250000")):
    dossier = en_instruction(dossier, par)
    return actions.proposer(dossier=dossier, par=par, version=dossier.version, montant_propose=montant)


def accepte(dossier, par, montant=Decimal("250000")):
    dossier = propose(dossier, par, montant)
    return actions.decider(dossier=dossier, par=par, version=dossier.version, statut=Statut.ACCEPTE, montant=montant)


def engage(dossier, par, montant=Decimal("250000")):
    dossier = accepte(dossier, par, montant)
    return actions.engager(
        dossier=dossier,
        par=par,
        version=dossier.version,
        convention_numero="CVL-2024-001",
        convention_date=timezone.localdate(),
        montant=montant,
    )


# --- Recevabilité -------------------------------------------------------------------------------------------------


def test_ouvrir_l_instruction_ecrit_la_frise(dossier_cvl, instructeur_cvl):
    dossier = en_instruction(dossier_cvl, instructeur_cvl)
    assert dossier.statut == Statut.EN_INSTRUCTION
    transition = Transition.objects.get(dossier=dossier)
    assert (transition.de, transition.vers, transition.par) == (Statut.DEPOSE, Statut.EN_INSTRUCTION, instructeur_cvl)


def test_incomplet_exige_un_motif_et_previent_le_porteur(
    dossier_cvl, instructeur_cvl, porteur, django_capture_on_commit_callbacks, executer_travaux
):
    with pytest.raises(actions.Refus, match="ce qui manque"):
        actions.declarer_incomplet(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, motif=" ")
    with django_capture_on_commit_callbacks(execute=True):
        actions.declarer_incomplet(
            dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, motif="Il manque le Kbis."
        )
    executer_travaux()
    assert frais(dossier_cvl).statut == Statut.INCOMPLET
    assert mail.outbox[-1].to == [porteur.email]
    assert "Il manque le Kbis." in mail.outbox[-1].body


def test_irrecevable_depuis_depose_sans_ouvrir_l_instruction(dossier_cvl, instructeur_cvl):
    actions.declarer_irrecevable(
        dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, motif="Commune hors territoire."
    )
    assert frais(dossier_cvl).statut == Statut.IRRECEVABLE
    assert not Transition.objects.filter(dossier=dossier_cvl, vers=Statut.EN_INSTRUCTION).exists()


def test_irrecevable_interdit_en_instruction(dossier_cvl, instructeur_cvl):
    dossier = en_instruction(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="ne peut pas passer"):
        actions.declarer_irrecevable(dossier=dossier, par=instructeur_cvl, version=dossier.version, motif="Non.")


def test_un_porteur_ne_peut_pas_instruire(dossier_cvl, porteur):
    with pytest.raises(PermissionDenied):
        en_instruction(dossier_cvl, porteur)


def test_un_instructeur_d_une_autre_region_ne_peut_pas_instruire(dossier_cvl, instructeur_bretagne):
    with pytest.raises(PermissionDenied):
        en_instruction(dossier_cvl, instructeur_bretagne)


def test_une_version_perimee_est_refusee(dossier_cvl, instructeur_cvl):
    version_vue = dossier_cvl.version
    en_instruction(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="modifié entre-temps"):
        actions.declarer_incomplet(dossier=dossier_cvl, par=instructeur_cvl, version=version_vue, motif="Pièces.")


# --- Avis ---------------------------------------------------------------------------------------------------------


def demander(dossier, par, type, echeance=None):
    dossier = frais(dossier)
    return actions.demander_avis(
        dossier=dossier, par=par, version=dossier.version, type=type, echeance=echeance or timezone.localdate()
    )


def test_avis_demande_a_l_expert_de_la_region(
    dossier_cvl, instructeur_cvl, expert_ademe_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    en_instruction(dossier_cvl, instructeur_cvl)
    with django_capture_on_commit_callbacks(execute=True):
        demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    executer_travaux()
    assert mail.outbox[-1].to == [expert_ademe_cvl.email]


def test_un_seul_avis_en_attente_par_type(dossier_cvl, instructeur_cvl):
    en_instruction(dossier_cvl, instructeur_cvl)
    demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    with pytest.raises(actions.Refus, match="déjà attendu"):
        demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)


def test_pas_d_avis_avant_l_instruction(dossier_cvl, instructeur_cvl):
    with pytest.raises(actions.Refus, match="pendant l’instruction"):
        demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)


@pytest.mark.parametrize(
    ("type", "persona"),
    [
        (Avis.Type.ADEME, "expert_ademe_cvl"),
        (Avis.Type.REGION, "referent_region_cvl"),
        (Avis.Type.GOUVERNANCE, "binome_territoire"),
    ],
)
def test_chaque_avis_est_rendu_par_son_role(request, dossier_cvl, instructeur_cvl, type, persona):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, type)
    avis = actions.rendre_avis(avis=avis, par=request.getfixturevalue(persona), sens="favorable", texte="Solide.")
    assert avis.rendu_le is not None and avis.sens == "favorable"


@pytest.mark.parametrize(
    ("type", "persona"),
    [
        (Avis.Type.ADEME, "referent_region_cvl"),
        (Avis.Type.REGION, "expert_ademe_cvl"),
        (Avis.Type.GOUVERNANCE, "instructeur_cvl"),
        (Avis.Type.ADEME, "porteur"),
    ],
)
def test_un_avis_ne_se_rend_pas_par_un_autre_role(request, dossier_cvl, instructeur_cvl, type, persona):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, type)
    with pytest.raises(PermissionDenied):
        actions.rendre_avis(avis=avis, par=request.getfixturevalue(persona), sens="favorable", texte="Oui.")


def test_un_avis_ne_se_rend_qu_une_fois(dossier_cvl, instructeur_cvl, expert_ademe_cvl):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    actions.rendre_avis(avis=avis, par=expert_ademe_cvl, sens="reserve", texte="À préciser.")
    with pytest.raises(actions.Refus, match="déjà été rendu"):
        actions.rendre_avis(avis=avis, par=expert_ademe_cvl, sens="favorable", texte="Finalement oui.")


def test_la_page_d_avis_rend_l_avis(client, dossier_cvl, instructeur_cvl, expert_ademe_cvl):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    client.force_login(expert_ademe_cvl)
    url = reverse("financements:rendre_avis", args=[dossier_cvl.reference, avis.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"sens": "defavorable", "texte": ""}).status_code == 400
    reponse = client.post(url, {"sens": "defavorable", "texte": "Gain carbone non démontré."})
    assert reponse.status_code == 302
    avis.refresh_from_db()
    assert avis.sens == "defavorable"


def test_la_page_d_avis_est_interdite_a_un_autre_role(client, dossier_cvl, instructeur_cvl, referent_region_cvl):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    client.force_login(referent_region_cvl)
    assert client.get(reverse("financements:rendre_avis", args=[dossier_cvl.reference, avis.pk])).status_code == 403


# --- Proposition, décision, réouverture --------------------------------------------------------------------------


def test_la_proposition_ne_depasse_pas_la_demande(dossier_cvl, instructeur_cvl):
    dossier = en_instruction(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="dépasse l’aide demandée"):
        actions.proposer(
            dossier=dossier, par=instructeur_cvl, version=dossier.version, montant_propose=Decimal("300000.01")
        )


def test_accepter_reserve_le_montant_dans_l_enveloppe(
    dossier_cvl, instructeur_cvl, porteur, django_capture_on_commit_callbacks, executer_travaux
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = accepte(dossier_cvl, instructeur_cvl, Decimal("250000.00"))
    executer_travaux()
    assert dossier.statut == Statut.ACCEPTE and dossier.decide_le is not None
    assert Enveloppe.objects.get(pk=dossier.enveloppe_id).montant_accorde == Decimal("250000.00")
    assert "250\xa0000,00\xa0€" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [porteur.email]


def test_accepter_au_dela_de_la_demande_est_refuse(dossier_cvl, instructeur_cvl):
    dossier = propose(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="dépasse l’aide demandée"):
        actions.decider(
            dossier=dossier,
            par=instructeur_cvl,
            version=dossier.version,
            statut=Statut.ACCEPTE,
            montant=Decimal("300001"),
        )


def test_accepter_au_dela_du_reste_de_l_enveloppe_dit_ce_qui_reste(dossier_cvl, instructeur_cvl):
    Enveloppe.objects.filter(pk=dossier_cvl.enveloppe_id).update(montant_accorde=Decimal("5500000.00"))
    dossier = propose(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="Il ne reste que 100\xa0000,00\xa0€"):
        actions.decider(
            dossier=dossier,
            par=instructeur_cvl,
            version=dossier.version,
            statut=Statut.ACCEPTE,
            montant=Decimal("250000"),
        )
    assert frais(dossier).statut == Statut.PROPOSE
    assert Enveloppe.objects.get(pk=dossier.enveloppe_id).montant_accorde == Decimal("5500000.00")


def test_un_refus_doit_etre_motive(dossier_cvl, instructeur_cvl):
    dossier = propose(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="motivé"):
        actions.decider(dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.REFUSE, motif="")
    actions.decider(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.REFUSE, motif="Hors critères."
    )
    assert frais(dossier).motif_decision == "Hors critères."


def test_decider_un_dossier_depose_est_interdit(dossier_cvl, instructeur_cvl):
    with pytest.raises(actions.Refus):
        actions.decider(
            dossier=dossier_cvl,
            par=instructeur_cvl,
            version=dossier_cvl.version,
            statut=Statut.ACCEPTE,
            montant=Decimal(1),
        )


def test_rouvrir_rend_le_montant_a_l_enveloppe(dossier_cvl, instructeur_cvl):
    dossier = accepte(dossier_cvl, instructeur_cvl, Decimal("250000.00"))
    with pytest.raises(actions.Refus, match="pourquoi"):
        actions.rouvrir(dossier=dossier, par=instructeur_cvl, version=dossier.version, motif="")
    dossier = actions.rouvrir(dossier=dossier, par=instructeur_cvl, version=dossier.version, motif="Erreur de montant.")
    assert dossier.statut == Statut.EN_INSTRUCTION and dossier.montant_accorde is None
    assert Enveloppe.objects.get(pk=dossier.enveloppe_id).montant_accorde == 0
    assert Transition.objects.filter(dossier=dossier).last().motif == "Erreur de montant."


def test_un_dossier_engage_ne_se_rouvre_pas(dossier_cvl, instructeur_cvl):
    dossier = engage(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus):
        actions.rouvrir(dossier=dossier, par=instructeur_cvl, version=dossier.version, motif="Erreur.")


# --- Engagement et versements ------------------------------------------------------------------------------------


def test_l_engagement_ne_depasse_pas_l_accorde(dossier_cvl, instructeur_cvl):
    dossier = accepte(dossier_cvl, instructeur_cvl, Decimal("200000"))
    with pytest.raises(actions.Refus, match="dépasse le montant accordé"):
        actions.engager(
            dossier=dossier,
            par=instructeur_cvl,
            version=dossier.version,
            convention_numero="C-1",
            convention_date=timezone.localdate(),
            montant=Decimal("200000.01"),
        )


def verser(dossier, par, type, montant):
    dossier = frais(dossier)
    return actions.enregistrer_versement(
        dossier=dossier,
        par=par,
        version=dossier.version,
        type=type,
        montant=Decimal(montant),
        date=timezone.localdate(),
    )


def test_versements_jusqu_au_solde(dossier_cvl, instructeur_cvl):
    engage(dossier_cvl, instructeur_cvl, Decimal("250000"))
    verser(dossier_cvl, instructeur_cvl, "avance", "50000")
    verser(dossier_cvl, instructeur_cvl, "acompte", "100000")
    with pytest.raises(actions.Refus, match="Il ne reste que 100\xa0000,00\xa0€ à verser"):
        verser(dossier_cvl, instructeur_cvl, "acompte", "100000.01")
    verser(dossier_cvl, instructeur_cvl, "solde", "100000")
    dossier = frais(dossier_cvl)
    assert dossier.statut == Statut.SOLDE and dossier.montant_verse == Decimal("250000")
    assert Enveloppe.objects.get(pk=dossier.enveloppe_id).montant_verse == Decimal("250000")
    with pytest.raises(actions.Refus, match="dossier engagé"):
        verser(dossier_cvl, instructeur_cvl, "acompte", "1")


def test_pas_de_versement_avant_l_engagement(dossier_cvl, instructeur_cvl):
    accepte(dossier_cvl, instructeur_cvl)
    with pytest.raises(actions.Refus, match="dossier engagé"):
        verser(dossier_cvl, instructeur_cvl, "avance", "1000")


# --- Fil d'échanges -----------------------------------------------------------------------------------------------


def test_le_message_du_porteur_va_aux_instructeurs(
    client, dossier_cvl, porteur, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    client.force_login(porteur)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("financements:message", args=[dossier_cvl.reference]), {"texte": "Bonjour"})
    executer_travaux()
    assert reponse.status_code == 302
    assert mail.outbox[-1].to == [instructeur_cvl.email]


def test_le_message_de_l_instructeur_va_au_porteur(
    client, dossier_cvl, porteur, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    client.force_login(instructeur_cvl)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("financements:message", args=[dossier_cvl.reference]), {"texte": "Le devis ?"})
    executer_travaux()
    assert mail.outbox[-1].to == [porteur.email]


def test_un_expert_n_ecrit_pas_dans_le_fil(client, dossier_cvl, expert_ademe_cvl):
    client.force_login(expert_ademe_cvl)
    reponse = client.post(reverse("financements:message", args=[dossier_cvl.reference]), {"texte": "Bonjour"})
    assert reponse.status_code == 403


# --- Relances -----------------------------------------------------------------------------------------------------


def test_relancer_avis_une_fois_par_semaine(
    dossier_cvl, instructeur_cvl, expert_ademe_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    from io import StringIO

    from django.core.management import call_command

    en_instruction(dossier_cvl, instructeur_cvl)
    en_retard = demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    a_l_heure = demander(dossier_cvl, instructeur_cvl, Avis.Type.REGION, timezone.localdate() + timedelta(days=3))
    Avis.objects.filter(pk=en_retard.pk).update(echeance=timezone.localdate() - timedelta(days=1))
    mail.outbox.clear()

    def relancer():
        sortie = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("relancer_avis", stdout=sortie)
        executer_travaux()
        return sortie.getvalue()

    assert relancer().startswith("1 avis")
    assert [m.to for m in mail.outbox] == [[expert_ademe_cvl.email]]
    assert "Relance" in mail.outbox[0].subject
    assert relancer().startswith("0 avis")  # idempotent within the week
    Avis.objects.filter(pk=en_retard.pk).update(relance_le=timezone.now() - timedelta(days=8))
    assert relancer().startswith("1 avis")
    a_l_heure.refresh_from_db()
    assert a_l_heure.relance_le is None


def test_classer_sans_suite_un_dossier_incomplet_avec_un_motif(dossier_cvl, instructeur_cvl):
    dossier = actions.declarer_incomplet(
        dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, motif="Il manque l’étude."
    )
    with pytest.raises(actions.Refus, match="pourquoi"):
        actions.classer_sans_suite(dossier=dossier, par=instructeur_cvl, version=dossier.version, motif="")
    dossier = actions.classer_sans_suite(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, motif="Sans nouvelles du porteur."
    )
    assert dossier.statut == Statut.CLASSE_SANS_SUITE and dossier.montant_accorde is None


def test_le_versement_est_annonce_au_porteur(
    dossier_cvl, instructeur_cvl, porteur, django_capture_on_commit_callbacks, executer_travaux
):
    engage(dossier_cvl, instructeur_cvl, Decimal("250000"))
    with django_capture_on_commit_callbacks(execute=True):
        verser(dossier_cvl, instructeur_cvl, "avance", "75000")
    executer_travaux()
    assert mail.outbox[-1].to == [porteur.email]
    assert "75\xa0000,00\xa0€" in mail.outbox[-1].body and "250\xa0000,00\xa0€ engagés" in mail.outbox[-1].body


def test_l_avis_rendu_est_annonce_aux_instructeurs(
    dossier_cvl, instructeur_cvl, binome_territoire, django_capture_on_commit_callbacks, executer_travaux
):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, Avis.Type.GOUVERNANCE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.rendre_avis(avis=avis, par=binome_territoire, sens="favorable", texte="La gouvernance est d’accord.")
    executer_travaux()
    assert mail.outbox[-1].to == [instructeur_cvl.email]
    assert "favorable" in mail.outbox[-1].body


def test_un_avis_ne_se_rend_plus_une_fois_le_dossier_decide(dossier_cvl, instructeur_cvl, expert_ademe_cvl):
    en_instruction(dossier_cvl, instructeur_cvl)
    avis = demander(dossier_cvl, instructeur_cvl, Avis.Type.ADEME)
    dossier = frais(dossier_cvl)
    dossier = actions.proposer(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, montant_propose=Decimal(1)
    )
    actions.decider(dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.REFUSE, motif="Non.")
    with pytest.raises(actions.Refus, match="close"):
        actions.rendre_avis(avis=avis, par=expert_ademe_cvl, sens="favorable", texte="Trop tard.")
