"""The state-changing steps of the engineering part: each one checks, writes, journals, and queues its notices."""

from pathlib import PurePath

from django.db import transaction

from ti.comptes.permissions import exiger
from ti.core.antivirus import analyser_fichier
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.televersements import verifier_document
from ti.core.travaux import differer
from ti.ingenierie.actions_budget import verifier_budget
from ti.ingenierie.actions_phases import creer_phases
from ti.ingenierie.models import (
    CYCLE_DEMANDE,
    CYCLE_LIVRABLE,
    CYCLE_MISSION,
    PHASES_PAR_DEFAUT,
    Demande,
    Livrable,
    Mission,
    Offre,
    Phase,
    StatutDemande,
    StatutLivrable,
    StatutMission,
    region_du_territoire,
)


@transaction.atomic
def creer_demande(*, territoire, par, projets, **champs) -> Demande:
    """A draft, on fiches-action of the territory only."""
    exiger(par, "demander_ingenierie", territoire)
    if not projets:
        raise Refus("Choisissez au moins une fiche-action.")
    if any(projet.territoire_id != territoire.pk for projet in projets):
        raise Refus("Une fiche-action choisie n’appartient pas à ce territoire.")
    demande = Demande.objects.create(territoire=territoire, cree_par=par, **champs)
    demande.projets.set(projets)
    journaliser(
        acteur=par, action="ingenierie.demande_creee", objet=demande, details={"projets": [p.pk for p in projets]}
    )
    return demande


REGLE_DE_L_ETAPE = {
    StatutDemande.SOUMISE: "demander_ingenierie",
    StatutDemande.EN_EXAMEN: "examiner_demande_ingenierie",
    StatutDemande.ACCEPTEE: "decider_demande_ingenierie",
    StatutDemande.REORIENTEE: "decider_demande_ingenierie",
    StatutDemande.REFUSEE: "decider_demande_ingenierie",
}


@transaction.atomic
def changer_statut_demande(*, demande: Demande, par, statut: str, motif: str = "", offre: Offre | None = None):
    """One step of the triage; a refusal says why, a redirection names the other offer."""
    if statut not in REGLE_DE_L_ETAPE:
        raise Refus("Étape inconnue.")
    exiger(par, REGLE_DE_L_ETAPE[statut], demande)
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    autres_champs = ()
    if statut == StatutDemande.REFUSEE and not motif.strip():
        raise Refus("Un refus doit être motivé : indiquez la raison.")
    if statut == StatutDemande.REORIENTEE:
        if offre is None or offre.pk == demande.offre_id:
            raise Refus("Indiquez l’autre offre vers laquelle la demande est réorientée.")
        demande.offre_proposee = offre
        autres_champs = ("offre_proposee",)
    CYCLE_DEMANDE.passer(demande, statut, par=par, motif=motif, autres_champs=autres_champs)
    differer("ti.ingenierie.notifications.demande_changee", demande.pk)
    return demande


@transaction.atomic
def changer_statut_mission(*, mission: Mission, par, statut: str, motif: str = "") -> Mission:
    exiger(par, "piloter_mission", mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if statut == StatutMission.TERMINEE and statut in CYCLE_MISSION.suivants(mission):
        _verifier_fin(mission)
    CYCLE_MISSION.passer(mission, statut, par=par, motif=motif)
    return mission


def _verifier_fin(mission: Mission) -> None:
    """A mission ends when its last deliverable is validated and the territory has given its evaluation."""
    livrables = list(mission.livrables.order_by("depose_le", "pk").values_list("statut", flat=True))
    if StatutLivrable.DEPOSE in livrables:
        raise Refus("Un livrable attend encore la décision du territoire.")
    if not livrables or livrables[-1] != StatutLivrable.VALIDE:
        raise Refus("La mission ne peut se terminer qu’une fois son dernier livrable validé par le territoire.")
    if mission.satisfaction is None:
        raise Refus("La mission ne peut se terminer qu’une fois évaluée par le territoire.")


@transaction.atomic
def evaluer_mission(*, mission: Mission, par, satisfaction: int, evaluation: str) -> Mission:
    """The territory's satisfaction (1 to 5) and its words; they may be revised until the mission ends."""
    exiger(par, "evaluer_mission", mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.statut in (StatutMission.TERMINEE, StatutMission.ANNULEE):
        raise Refus("Une mission close ne s’évalue plus.")
    if not 1 <= satisfaction <= 5:
        raise Refus("La satisfaction se note de 1 à 5.")
    mission.satisfaction, mission.evaluation = satisfaction, evaluation
    mission.save(update_fields=["satisfaction", "evaluation"])
    journaliser(acteur=par, action="ingenierie.mission_evaluee", objet=mission, details={"satisfaction": satisfaction})
    return mission


@transaction.atomic
def declarer_jours(*, mission: Mission, par, jours_consommes) -> Mission:
    """The days consumed so far; never beyond the days planned (the order pays no more)."""
    exiger(par, "declarer_jours", mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if jours_consommes < 0:
        raise Refus("Le nombre de jours consommés ne peut pas être négatif.")
    if jours_consommes > mission.jours_prevus:
        raise Refus(f"Les jours consommés ne peuvent pas dépasser les {mission.jours_prevus} jours prévus.")
    avant = mission.jours_consommes
    mission.jours_consommes = jours_consommes
    mission.save(update_fields=["jours_consommes"])
    journaliser(
        acteur=par,
        action="ingenierie.jours_declares",
        objet=mission,
        details={"jours_consommes": [str(avant), str(jours_consommes)]},
    )
    return mission


@transaction.atomic
def commander_mission(*, demande: Demande, par, consultants=(), phases=PHASES_PAR_DEFAUT, **champs) -> Mission:
    """The national team commissions the mission of an accepted request under the framework contract, with its
    phases (the default ones unless it names others)."""
    exiger(par, "piloter_mission", demande)
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    if demande.statut != StatutDemande.ACCEPTEE:
        raise Refus("Seule une demande acceptée donne lieu à une mission.")
    if Mission.objects.filter(demande=demande).exists():
        raise Refus("Cette demande a déjà sa mission.")
    if champs["montant_ttc"] < champs["montant_ht"]:
        raise Refus("Le montant TTC ne peut pas être inférieur au montant HT.")
    region = region_du_territoire(demande.territoire)
    verifier_budget(champs["annee"], champs["montant_ht"], region)
    mission = Mission.objects.create(demande=demande, territoire_id=demande.territoire_id, region=region, **champs)
    mission.consultants.set(consultants)
    creer_phases(mission, phases)
    journaliser(
        acteur=par,
        action="ingenierie.mission_commandee",
        objet=mission,
        details={"demande": demande.pk, "commande": mission.numero_commande, "montant_ht": str(mission.montant_ht)},
    )
    return mission


@transaction.atomic
def deposer_livrable(*, mission: Mission, par, fichier, titre: str, phase: Phase | None = None) -> Livrable:
    """Checked (ValidationError in French) before anything is written, then scanned like every upload. A mission
    with phases files each deliverable in one of its own."""
    exiger(par, "deposer_livrable", mission)
    if phase is None and mission.phases.exists():
        raise Refus("Indiquez la phase de la mission à laquelle ce livrable appartient.")
    if phase is not None and phase.mission_id != mission.pk:
        raise Refus("Cette phase n’appartient pas à la mission.")
    type_mime = verifier_document(fichier)
    livrable = Livrable(
        mission=mission, phase=phase, titre=titre, type_mime=type_mime, taille=fichier.size, depose_par=par
    )
    livrable.nom = PurePath(fichier.name).name
    livrable.fichier.save(livrable.nom, fichier, save=False)
    livrable.save()
    analyser_fichier(livrable)
    journaliser(acteur=par, action="ingenierie.livrable_depose", objet=livrable, details={"nom": livrable.nom})
    differer("ti.ingenierie.notifications.livrable_depose", livrable.pk)
    return livrable


@transaction.atomic
def examiner_livrable(*, livrable: Livrable, par, statut: str, commentaire: str = "") -> Livrable:
    """Validated, or sent back with the comments the consultant needs."""
    exiger(par, "valider_livrable", livrable)
    livrable = Livrable.objects.select_for_update().get(pk=livrable.pk)
    if statut == StatutLivrable.RENVOYE and not commentaire.strip():
        raise Refus("Dites au consultant ce qui manque : un livrable renvoyé porte un commentaire.")
    CYCLE_LIVRABLE.passer(livrable, statut, par=par, motif=commentaire)
    return livrable


@transaction.atomic
def rattacher_fiches(*, mission: Mission, par, projets) -> Mission:
    """The fiches-action the mission brought out or moved forward: those of its territory only (decision 0045)."""
    exiger(par, "rattacher_fiches_mission", mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.statut == StatutMission.ANNULEE:
        raise Refus("Une mission annulée n’a pas de résultats à rattacher.")
    if any(projet.territoire_id != mission.territoire_id for projet in projets):
        raise Refus("Une fiche-action choisie n’appartient pas au territoire de la mission.")
    avant = sorted(mission.projets.values_list("pk", flat=True))
    apres = sorted(projet.pk for projet in projets)
    if avant == apres:
        return mission
    mission.projets.set(projets)
    journaliser(acteur=par, action="ingenierie.fiches_rattachees", objet=mission, details={"fiches": [avant, apres]})
    return mission
