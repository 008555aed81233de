"""The plan d'action of a territory, `brouillon → soumis au binôme → validé`, its versions, and the contract.

Each step is a keyword-only function in one transaction: the permission check (403), the rule checks (`Refus`,
a French sentence the page shows), the transition log (`TransitionPlan`), a journal row, and the notifications queued
after commit. The territory's row is locked first, then the plan's: every step on a territory's plans (and every fiche
change, through `noter_changement`) is serialised, so that two versions are never opened at once.

Fiches and versions:
- a brouillon holds the territory's active fiches, kept in sync (`noter_changement`);
- submitting freezes them in `instantane`, which is what the binôme reviews and validates;
- a fiche changed while the plan is submitted changes only the live fiche; the page says so, and validating
  that version then opens the next one in brouillon with the current fiches;
- a fiche changed after validation opens version N+1 in brouillon; version N stays readable from its snapshot.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ti.comptes import permissions
from ti.comptes.models import Habilitation, Role
from ti.comptes.notifications import url_absolue
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.travaux import differer
from ti.notifications import actions as notifications
from ti.projets.models import (
    CYCLE_PLAN,
    ContratTerritoire,
    PlanAction,
    Projet,
    Signataire,
    StatutPlan,
    TransitionPlan,
)
from ti.projets.plans_contenu import decrire_toutes, fiches_actives, signature, signature_actuelle
from ti.territoires.models import Territoire

# Versions.


def dernier_plan(territoire) -> PlanAction | None:
    return PlanAction.objects.filter(territoire=territoire).order_by("-numero").first()


def _fiches_actives_ids(territoire) -> list[int]:
    return list(Projet.objects.actifs().filter(territoire=territoire).values_list("pk", flat=True))


def _verrouiller(territoire) -> Territoire:
    return Territoire.objects.select_for_update().get(pk=territoire.pk)


def _ouvrir_version(territoire, *, numero: int, par, motif: str = "") -> PlanAction:
    """A new brouillon holding the territory's active fiches. The caller holds the territory's lock."""
    plan = PlanAction.objects.create(territoire=territoire, numero=numero, statut=StatutPlan.BROUILLON)
    identifiants = _fiches_actives_ids(territoire)
    plan.projets.set(identifiants)
    journaliser(
        acteur=par,
        action="plan_version_ouverte",
        objet=plan,
        details={"version": numero, "fiches": len(identifiants)},
        motif=motif,
    )
    return plan


@transaction.atomic
def plan_courant(*, territoire, par=None) -> PlanAction:
    """The territory's latest plan version; version 1 in brouillon, with the active fiches, if there is none.

    No permission check: for the demo and `ouvrir_plan`, which checks its caller's.
    """
    plan = dernier_plan(territoire)
    if plan is not None:
        return plan
    territoire = _verrouiller(territoire)
    return dernier_plan(territoire) or _ouvrir_version(territoire, numero=1, par=par)


def ouvrir_plan(*, territoire, par) -> PlanAction:
    """The territory's latest version, version 1 opened if there is none: only a role that writes the plan (403)."""
    permissions.exiger(par, "soumettre_plan", territoire)
    return plan_courant(territoire=territoire, par=par)


@transaction.atomic(savepoint=False)  # part of its caller's transaction: a savepoint would be two more round trips
def noter_changement(*, territoire, par, memes_fiches: bool = False, ajoutees: Iterable = ()) -> PlanAction:
    """Called by every action that creates, changes or archives a fiche-action of `territoire`, after writing it;
    `memes_fiches` when the territory's active fiches are the same ones (a fiche edited), `ajoutees` the fiches it
    created: a brouillon already holds the others, and they are not read again (hundreds of ids twice, under the
    territory's lock, at every edit or import).

    - no plan yet: version 1 opens in brouillon;
    - the latest version is validated: version N+1 opens in brouillon (earlier versions stay frozen);
    - the latest is a brouillon: it keeps holding exactly the territory's active fiches;
    - the latest is submitted: nothing changes in it; the binôme reviews the submitted snapshot, and the plan's
      page says that fiches changed since (see `fiches_changees_depuis_la_soumission`).

    Returns the latest version. No permission check: the caller checked its own ("modifier_projet").
    """
    territoire = _verrouiller(territoire)
    plan = dernier_plan(territoire)
    if plan is None:
        return _ouvrir_version(territoire, numero=1, par=par)
    if plan.statut == StatutPlan.VALIDE:
        return _ouvrir_version(
            territoire,
            numero=plan.numero + 1,
            par=par,
            motif=f"Fiche-action modifiée après la validation de la version {plan.numero}.",
        )
    if plan.statut == StatutPlan.BROUILLON and ajoutees:
        plan.projets.add(*ajoutees)
    elif plan.statut == StatutPlan.BROUILLON and not memes_fiches:
        plan.projets.set(_fiches_actives_ids(territoire))
    return plan


def fiches_changees_depuis_la_soumission(plan: PlanAction) -> bool:
    """Whether the territory's active fiches differ from the submitted snapshot (one query)."""
    if plan.statut != StatutPlan.SOUMIS:
        return False
    return signature(plan.instantane) != signature_actuelle(plan.territoire_id)


# The workflow.


def _verifier_transition(plan: PlanAction, vers: str, transitions_vues: int | None) -> None:
    """A stale page (another step was taken since it was shown) is refused first, then the workflow's own refusal."""
    if transitions_vues is not None and plan.transitions.count() != transitions_vues:
        raise Refus("Ce plan a changé entre-temps : rechargez la page et vérifiez son état avant d’agir.")
    CYCLE_PLAN.verifier(plan, vers)


def _verrouiller_plan(plan: PlanAction) -> PlanAction:
    _verrouiller(plan.territoire)
    return PlanAction.objects.select_for_update().select_related("territoire").get(pk=plan.pk)


def _passer(plan: PlanAction, vers: str, *, par, motif: str, action: str, champs: list[str]) -> TransitionPlan:
    """The step through the plan's workflow (its log row written there), then its journal row."""
    de = plan.statut
    transition = CYCLE_PLAN.passer(plan, vers, par=par, motif=motif, autres_champs=tuple(champs))
    journaliser(
        acteur=par,
        action=action,
        objet=plan,
        details={
            "statut": [de, vers],
            "version": plan.numero,
            **({"fiches": len(plan.instantane)} if plan.instantane else {}),
        },
        motif=motif,
    )
    return transition


@transaction.atomic
def soumettre_plan(*, plan: PlanAction, par, motif: str = "", transitions_vues: int | None = None) -> PlanAction:
    """The chef de projet (or the national team) submits the brouillon to the binôme; its fiches are frozen."""
    permissions.exiger(par, "soumettre_plan", plan)
    plan = _verrouiller_plan(plan)
    _verifier_transition(plan, StatutPlan.SOUMIS, transitions_vues)
    projets = fiches_actives(plan.territoire)
    if not projets:
        raise Refus("Le plan ne contient aucune fiche-action : ajoutez-en au moins une avant de le soumettre.")
    plan.projets.set([projet.pk for projet in projets])
    plan.instantane = decrire_toutes(projets)
    plan.soumis_le = timezone.now()
    plan.soumis_par = par
    _passer(
        plan,
        StatutPlan.SOUMIS,
        par=par,
        motif=motif.strip(),
        action="plan_soumis",
        champs=["instantane", "soumis_le", "soumis_par"],
    )
    differer("ti.projets.actions.plans.notifier", plan.pk, "soumis", par.pk)
    return plan


@transaction.atomic
def valider_plan(*, plan: PlanAction, par, motif: str = "", transitions_vues: int | None = None) -> PlanAction:
    """The binôme of the territory validates the submitted version, as it was submitted.

    If fiches changed since the submission, the next version opens at once in brouillon with the current fiches,
    so that no change is left outside every version."""
    permissions.exiger(par, "valider_plan", plan)
    plan = _verrouiller_plan(plan)
    _verifier_transition(plan, StatutPlan.VALIDE, transitions_vues)
    changees = fiches_changees_depuis_la_soumission(plan)
    plan.valide_le = timezone.now()
    plan.valide_par = par
    _passer(
        plan, StatutPlan.VALIDE, par=par, motif=motif.strip(), action="plan_valide", champs=["valide_le", "valide_par"]
    )
    if changees:
        _ouvrir_version(
            plan.territoire,
            numero=plan.numero + 1,
            par=par,
            motif=f"Fiches-action modifiées pendant l’examen de la version {plan.numero}.",
        )
    differer("ti.projets.actions.plans.notifier", plan.pk, "valide", par.pk)
    return plan


@transaction.atomic
def renvoyer_plan(*, plan: PlanAction, par, motif: str, transitions_vues: int | None = None) -> PlanAction:
    """The binôme sends the submitted version back to the chef de projet, saying why; it is a brouillon again."""
    permissions.exiger(par, "valider_plan", plan)
    motif = (motif or "").strip()
    if not motif:
        raise Refus("Indiquez le motif du renvoi : il est transmis au chef de projet.")
    plan = _verrouiller_plan(plan)
    _verifier_transition(plan, StatutPlan.BROUILLON, transitions_vues)
    # A brouillon is read live; the snapshot of the submission it replaces is dropped (the log keeps the steps).
    plan.instantane = []
    plan.soumis_le = None
    plan.soumis_par = None
    plan.projets.set(_fiches_actives_ids(plan.territoire))
    _passer(
        plan,
        StatutPlan.BROUILLON,
        par=par,
        motif=motif,
        action="plan_renvoye",
        champs=["instantane", "soumis_le", "soumis_par"],
    )
    differer("ti.projets.actions.plans.notifier", plan.pk, "renvoye", par.pk)
    return plan


# Notifications, through the job queue, with primary keys only.

DESTINATAIRES = {  # event → the roles on the territory who are told
    "soumis": {Role.BINOME},
    "valide": {Role.CHEF_PROJET, Role.BINOME},
    "renvoye": {Role.CHEF_PROJET},
}


def destinataires(territoire_id: int, roles: set[str], *, sauf: int | None = None) -> list[int]:
    """The active holders of these roles on the territory, the actor left out."""
    return list(
        Habilitation.objects.actives()
        .filter(territoire_id=territoire_id, role__in=roles, utilisateur__is_active=True)
        .exclude(utilisateur_id=sauf)
        .values_list("utilisateur_id", flat=True)
    )


def notifier(plan_pk: int, evenement: str, acteur_pk: int | None = None) -> int:
    """A job of the queue: the notification (and e-mail, one per person) of a step. Returns how many were told."""
    plan = PlanAction.objects.select_related("territoire").get(pk=plan_pk)
    transition = plan.transitions.select_related("par").order_by("-quand", "-pk").first()
    return notifications.notifier(
        destinataires=destinataires(plan.territoire_id, DESTINATAIRES[evenement], sauf=acteur_pk),
        type=f"plan_{evenement}",
        gabarit=f"projets/emails/plan_{evenement}",
        contexte={
            "plan": plan,
            "territoire": plan.territoire,
            "transition": transition,
            "lien": url_absolue(plan.get_absolute_url()),
        },
        lien=plan.get_absolute_url(),
    )


# The contrat de territoire.

CHAMPS_CONTRAT = ("intitule", "date_signature", "plan")
CHAMPS_SIGNATAIRE = ("type", "organisme", "representant", "qualite", "date_signature")


def _valeur(valeur):
    """A value as the journal keeps it (JSON): dates in ISO, a plan by its version number."""
    if isinstance(valeur, PlanAction):
        return valeur.numero
    if hasattr(valeur, "isoformat"):
        return valeur.isoformat()
    return valeur


@transaction.atomic
def enregistrer_contrat(
    *,
    territoire,
    par,
    contrat: ContratTerritoire | None,
    donnees: dict,
    signataires: list[dict],
    motif: str = "",
) -> tuple[ContratTerritoire, dict]:
    """Create or change the territory's contract and its signatories.

    `donnees` maps `CHAMPS_CONTRAT` to values (`plan`: a validated version of this territory, or None);
    `signataires` lists dicts of `CHAMPS_SIGNATAIRE` with `id` (None for a new one) and `supprimer`.
    Returns the contract and the changes {key: [before, after]}, also written as one journal row.
    """
    permissions.exiger(par, "gerer_contrat", territoire)
    territoire = _verrouiller(territoire)
    plan = donnees.get("plan")
    if plan is not None and (plan.territoire_id != territoire.pk or plan.statut != StatutPlan.VALIDE):
        raise Refus("Seule une version validée du plan d’action de ce territoire peut être annexée au contrat.")

    changements = {}
    if contrat is None:
        contrat = ContratTerritoire(territoire=territoire)
        action = "contrat_cree"
    else:
        contrat = ContratTerritoire.objects.select_for_update().get(pk=contrat.pk, territoire=territoire)
        action = "contrat_modifie"
    for champ in CHAMPS_CONTRAT:
        avant, apres = getattr(contrat, champ) if contrat.pk else None, donnees[champ]
        if _valeur(avant) != _valeur(apres):
            changements[champ] = [_valeur(avant), _valeur(apres)]
            setattr(contrat, champ, apres)
    if contrat.pk is None or changements:
        contrat.save()

    existants = {s.pk: s for s in Signataire.objects.select_for_update().filter(contrat=contrat)}
    for ligne in signataires:
        valeurs = {champ: ligne.get(champ) for champ in CHAMPS_SIGNATAIRE}
        if ligne.get("id") is None:
            if not ligne.get("supprimer"):
                signataire = Signataire.objects.create(contrat=contrat, **valeurs)
                changements[f"signataire.{signataire.pk}"] = [None, {k: _valeur(v) for k, v in valeurs.items()}]
            continue
        signataire = existants.get(ligne["id"])
        if signataire is None:
            raise Refus("Un des signataires ne fait pas partie de ce contrat : rechargez la page.")
        avant = {champ: _valeur(getattr(signataire, champ)) for champ in CHAMPS_SIGNATAIRE}
        if ligne.get("supprimer"):
            # A signatory entered by mistake is removed; the journal keeps what it said.
            signataire.delete()
            changements[f"signataire.{ligne['id']}"] = [avant, None]
            continue
        apres = {k: _valeur(v) for k, v in valeurs.items()}
        if avant != apres:
            for champ, valeur in valeurs.items():
                setattr(signataire, champ, valeur)
            signataire.save()
            changements[f"signataire.{signataire.pk}"] = [avant, apres]

    if changements:
        journaliser(acteur=par, action=action, objet=contrat, details=changements, motif=motif)
    return contrat, changements
