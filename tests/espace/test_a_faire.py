"""« À faire », role by role: what awaits each person is listed where they can act, and nothing out of their scope
or of another role's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.animation.conftest import creer_evenement
from tests.factories import DossierFactory, utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from ti.animation.models import Inscription, StatutInscription
from ti.comptes.models import Role
from ti.espace.a_faire import a_faire
from ti.financements.models import Avis, Statut
from ti.ingenierie.models import StatutDemande, StatutMission
from ti.projets.models import StatutPlan

from .conftest import AUTRE_SIRET, demande_ingenierie, demander_avis, demander_correction, ecrire, livrable, plan

pytestmark = pytest.mark.django_db


def groupes(user) -> dict[str, list[tuple[str, str]]]:
    """Kind → its items (text, link), as `a_faire` gives them."""
    return {g.code: [(e.texte, e.lien) for e in g.elements] for g in a_faire(user)}


# Porteur ------------------------------------------------------------------------------------------------------------


def test_le_porteur_voit_la_correction_demandee_avec_le_motif_et_le_lien_du_formulaire(
    porteur, dossier, instructeur_cvl
):
    incomplet = dossier(intitule="Chaudière biomasse")
    demander_correction(incomplet, instructeur_cvl)

    (groupe,) = [g for g in a_faire(porteur) if g.code == "corrections_demandees"]

    assert groupe.total == 1
    (element,) = groupe.elements
    assert element.texte == f"{incomplet.reference} — Chaudière biomasse"
    assert element.lien == reverse("financements:modifier", args=[incomplet.reference])
    assert element.precision == "Ajoutez le devis signé du fournisseur."


def test_le_porteur_ne_voit_ni_les_dossiers_d_un_autre_siret_ni_ceux_qui_n_attendent_rien(
    porteur, dossier, enveloppe_cvl, territoire_cvl, instructeur_cvl
):
    autre = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_cvl, porteur_siret=AUTRE_SIRET)
    demander_correction(autre, instructeur_cvl)
    dossier(statut=Statut.EN_INSTRUCTION)

    assert groupes(porteur) == {}


def test_le_porteur_voit_son_brouillon_a_completer(porteur, dossier):
    brouillon = dossier(statut=Statut.BROUILLON, depose_le=None)

    assert groupes(porteur)["dossiers_a_completer"] == [
        (f"{brouillon.reference} — {brouillon.intitule}", reverse("financements:modifier", args=[brouillon.reference]))
    ]


def test_le_message_de_l_instruction_attend_la_reponse_du_porteur_et_pas_l_inverse(porteur, dossier, instructeur_cvl):
    depose = dossier()
    ecrire(depose, porteur, "Voici le devis.")
    assert "messages_sans_reponse" not in groupes(porteur)
    assert groupes(instructeur_cvl)["messages_sans_reponse"] == [
        (f"{depose.reference} — {depose.intitule}", f"{depose.get_absolute_url()}#echanges")
    ]

    ecrire(depose, instructeur_cvl, "Merci, il manque la page 2.")
    assert [lien for _, lien in groupes(porteur)["messages_sans_reponse"]] == [f"{depose.get_absolute_url()}#echanges"]
    assert "messages_sans_reponse" not in groupes(instructeur_cvl)


# Chef de projet and binôme ------------------------------------------------------------------------------------------


def test_le_binome_voit_le_plan_soumis_de_son_territoire(binome_cvl, territoire_cvl):
    soumis = plan(territoire_cvl)

    assert groupes(binome_cvl)["plans_a_valider"] == [
        (f"Plan d’action de {territoire_cvl.nom}, version 1", soumis.get_absolute_url())
    ]


def test_le_plan_soumis_n_attend_ni_le_binome_d_un_autre_territoire_ni_le_chef_de_projet(
    territoire_cvl, territoire_bretagne, chef_projet_cvl
):
    plan(territoire_cvl)
    binome_bretagne = utilisateur_avec(Role.BINOME, territoire=territoire_bretagne)

    assert groupes(binome_bretagne) == {}
    assert groupes(chef_projet_cvl) == {}


def test_le_chef_de_projet_voit_le_plan_renvoye_a_reprendre(chef_projet_cvl, binome_cvl, territoire_cvl):
    renvoye = plan(territoire_cvl, StatutPlan.BROUILLON, renvoye_par=binome_cvl)

    assert [lien for _, lien in groupes(chef_projet_cvl)["plans_a_reprendre"]] == [renvoye.get_absolute_url()]


def test_un_brouillon_jamais_soumis_n_est_pas_a_reprendre(chef_projet_cvl, territoire_cvl):
    plan(territoire_cvl, StatutPlan.BROUILLON)

    assert groupes(chef_projet_cvl) == {}


def test_le_binome_voit_l_accord_de_la_gouvernance_a_donner(binome_cvl, dossier, instructeur_cvl):
    avis = demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.GOUVERNANCE, instructeur_cvl)

    assert [lien for _, lien in groupes(binome_cvl)["avis_a_rendre"]] == [
        reverse("financements:rendre_avis", args=[avis.dossier.reference, avis.pk])
    ]


def test_le_chef_de_projet_voit_le_livrable_a_valider_de_son_territoire(
    chef_projet_cvl, consultant, territoire_cvl, territoire_bretagne
):
    mission = MissionFactory(territoire=territoire_cvl)
    livrable(mission, consultant)
    livrable(MissionFactory(territoire=territoire_bretagne), consultant)

    assert groupes(chef_projet_cvl)["livrables_a_valider"] == [
        (f"Diagnostic — {mission.intitule}", mission.get_absolute_url())
    ]


# ADEME and Région ---------------------------------------------------------------------------------------------------


def test_l_ademe_voit_l_avis_attendu_d_elle_avec_son_echeance(expert_ademe_cvl, dossier, instructeur_cvl):
    avis = demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.ADEME, instructeur_cvl)

    (groupe,) = a_faire(expert_ademe_cvl)

    assert (groupe.code, groupe.total) == ("avis_a_rendre", 1)
    assert groupe.elements[0].lien == reverse("financements:rendre_avis", args=[avis.dossier.reference, avis.pk])
    assert groupe.elements[0].quand == avis.echeance and not groupe.elements[0].en_retard


def test_l_ademe_ne_voit_ni_l_avis_de_la_region_ni_celui_d_une_autre_region_ni_un_avis_rendu(
    expert_ademe_cvl, dossier, instructeur_cvl, enveloppe_bretagne, territoire_bretagne, bretagne
):
    en_instruction = dossier(statut=Statut.EN_INSTRUCTION)
    demander_avis(en_instruction, Avis.Type.REGION, instructeur_cvl)
    rendu = demander_avis(en_instruction, Avis.Type.ADEME, instructeur_cvl)
    rendu.rendu_le, rendu.sens = timezone.now(), Avis.Sens.FAVORABLE
    rendu.save()
    breton = DossierFactory(enveloppe=enveloppe_bretagne, territoire=territoire_bretagne, statut=Statut.EN_INSTRUCTION)
    demander_avis(breton, Avis.Type.ADEME, utilisateur_avec(Role.INSTRUCTEUR, region=bretagne))

    assert groupes(expert_ademe_cvl) == {}


def test_la_region_voit_son_avis_et_la_demande_d_ingenierie_a_examiner(
    referent_region_cvl, dossier, instructeur_cvl, territoire_cvl, chef_projet_cvl, territoire_bretagne
):
    demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.REGION, instructeur_cvl)
    demande = demande_ingenierie(territoire_cvl, chef_projet_cvl)
    demande_ingenierie(territoire_bretagne, chef_projet_cvl)  # another région's
    demande_ingenierie(territoire_cvl, chef_projet_cvl, StatutDemande.BROUILLON)  # not submitted

    trouves = groupes(referent_region_cvl)

    assert len(trouves["avis_a_rendre"]) == 1
    assert [lien for _, lien in trouves["demandes_a_examiner"]] == [demande.get_absolute_url()]


# Instructor ---------------------------------------------------------------------------------------------------------


def test_l_instructeur_voit_chaque_etape_qui_l_attend(instructeur_cvl, expert_ademe_cvl, dossier):
    depose = dossier(statut=Statut.DEPOSE)
    propose = dossier(statut=Statut.PROPOSE)
    engage = dossier(statut=Statut.ENGAGE, convention_date=timezone.localdate())
    en_instruction = dossier(statut=Statut.EN_INSTRUCTION)
    en_retard = demander_avis(en_instruction, Avis.Type.ADEME, instructeur_cvl, dans_jours=-2)
    demander_avis(en_instruction, Avis.Type.REGION, instructeur_cvl)  # not late yet

    trouves = groupes(instructeur_cvl)

    assert [lien for _, lien in trouves["dossiers_a_examiner"]] == [f"{depose.get_absolute_url()}#etapes"]
    assert [lien for _, lien in trouves["decisions_a_prendre"]] == [f"{propose.get_absolute_url()}#etapes"]
    assert [lien for _, lien in trouves["versements_a_enregistrer"]] == [f"{engage.get_absolute_url()}#etapes"]
    assert trouves["avis_en_retard"] == [
        (
            f"Avis technique de l’ADEME — {en_retard.dossier.reference} — {en_instruction.intitule}",
            f"{en_instruction.get_absolute_url()}#avis",
        )
    ]
    # The ADEME sees its late opinion marked as such.
    (element,) = [g for g in a_faire(expert_ademe_cvl) if g.code == "avis_a_rendre"][0].elements
    assert element.en_retard


def test_l_instructeur_d_une_autre_region_et_le_porteur_instructeur_de_son_propre_dossier_n_ont_rien(
    instructeur_bretagne, dossier, cvl
):
    dossier(statut=Statut.DEPOSE)
    dossier(statut=Statut.PROPOSE)
    assert groupes(instructeur_bretagne) == {}

    # An instructor who is also the porteur of the dossier never instructs it (conflict of interest).
    from tests.factories import HabilitationFactory

    instructeur_porteur = utilisateur_avec(Role.INSTRUCTEUR, region=cvl)
    HabilitationFactory(utilisateur=instructeur_porteur, role=Role.PORTEUR, siret="73282932000074")
    trouves = groupes(instructeur_porteur)
    assert "dossiers_a_examiner" not in trouves and "decisions_a_prendre" not in trouves

    # Nor the late opinions on it: only those of the other structures' dossiers (the condition of the queue, applied
    # to the opinions through their dossier).
    sien = dossier(statut=Statut.EN_INSTRUCTION)
    autre = dossier(statut=Statut.EN_INSTRUCTION, porteur_siret=AUTRE_SIRET)
    demander_avis(sien, Avis.Type.ADEME, instructeur_porteur, dans_jours=-2)
    en_retard = demander_avis(autre, Avis.Type.ADEME, instructeur_porteur, dans_jours=-2)
    liens = [lien for _, lien in groupes(instructeur_porteur)["avis_en_retard"]]
    assert liens == [f"{en_retard.dossier.get_absolute_url()}#avis"]
    assert len(groupes(instructeur_bretagne).get("avis_en_retard", [])) == 0


# National team ------------------------------------------------------------------------------------------------------


def test_l_equipe_nationale_decide_les_demandes_examinees_et_commande_les_missions(
    equipe_nationale, territoire_cvl, chef_projet_cvl
):
    examinee = demande_ingenierie(territoire_cvl, chef_projet_cvl, StatutDemande.EN_EXAMEN)
    acceptee = demande_ingenierie(territoire_cvl, chef_projet_cvl, StatutDemande.ACCEPTEE)
    servie = demande_ingenierie(territoire_cvl, chef_projet_cvl, StatutDemande.ACCEPTEE)
    MissionFactory(territoire=territoire_cvl, demande=servie)

    trouves = groupes(equipe_nationale)

    assert [lien for _, lien in trouves["demandes_a_decider"]] == [examinee.get_absolute_url()]
    assert [lien for _, lien in trouves["missions_a_commander"]] == [acceptee.get_absolute_url()]


def test_l_equipe_nationale_ne_valide_pas_les_plans_ni_ne_rend_les_avis(
    equipe_nationale, territoire_cvl, dossier, instructeur_cvl
):
    plan(territoire_cvl)
    demander_avis(dossier(statut=Statut.EN_INSTRUCTION), Avis.Type.ADEME, instructeur_cvl)

    assert groupes(equipe_nationale) == {}


# Consultant ---------------------------------------------------------------------------------------------------------


def test_le_consultant_voit_ses_missions_en_cours_seulement(consultant, territoire_cvl):
    sienne = MissionFactory(territoire=territoire_cvl, statut=StatutMission.EN_COURS)
    sienne.consultants.add(consultant)
    terminee = MissionFactory(territoire=territoire_cvl, statut=StatutMission.TERMINEE)
    terminee.consultants.add(consultant)
    MissionFactory(territoire=territoire_cvl, statut=StatutMission.EN_COURS)  # not his

    assert [lien for _, lien in groupes(consultant)["missions_a_mener"]] == [sienne.get_absolute_url()]


# Events -------------------------------------------------------------------------------------------------------------


def test_l_evenement_proche_auquel_on_est_inscrit_et_pas_les_autres(chef_projet_cvl, equipe_nationale):
    proche = creer_evenement(equipe_nationale, titre="Atelier foncier")
    dans_deux_mois = timezone.now() + timedelta(days=60)
    lointain = creer_evenement(equipe_nationale, debut=dans_deux_mois, fin=dans_deux_mois, titre="Lointain")
    annule = creer_evenement(equipe_nationale, titre="Annulé")
    for evenement, statut in [
        (proche, StatutInscription.INSCRIT),
        (lointain, StatutInscription.INSCRIT),
        (annule, StatutInscription.ANNULEE),
    ]:
        Inscription.objects.create(evenement=evenement, participant=chef_projet_cvl, statut=statut)

    assert groupes(chef_projet_cvl)["evenements_a_venir"] == [("Atelier foncier", proche.get_absolute_url())]
