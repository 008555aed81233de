"""The phases of a mission, set by the national team when it commissions the mission and edited afterwards; each
deliverable belongs to one of them (decision 0045)."""

from django.db import transaction

from ti.comptes.permissions import exiger
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.ingenierie.models import Mission, Phase

DECALAGE = 1000  # renumbering goes through free numbers, so that the (mission, ordre) uniqueness always holds


def creer_phases(mission: Mission, noms) -> list[Phase]:
    """The first phases of a freshly commissioned mission (the caller holds the transaction and the rights)."""
    noms = [nom.strip() for nom in noms if nom.strip()]
    if not noms:
        raise Refus("Une mission compte au moins une phase.")
    return Phase.objects.bulk_create(Phase(mission=mission, ordre=i, nom=nom) for i, nom in enumerate(noms, 1))


@transaction.atomic
def definir_phases(*, mission: Mission, par, phases: list[dict]) -> list[Phase]:
    """`phases`: in their new order, dicts of `id` (None for a new phase), `nom`, `echeance`. A phase left out is
    removed, unless a deliverable was filed in it: the deliverables stay where they were filed."""
    exiger(par, "piloter_mission", mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    existantes = {phase.pk: phase for phase in mission.phases.all()}
    if not phases:
        raise Refus("Une mission compte au moins une phase.")
    if any(not ligne["nom"].strip() for ligne in phases):
        raise Refus("Chaque phase porte un nom.")
    gardees = {ligne["id"] for ligne in phases if ligne["id"] is not None}
    if not gardees <= existantes.keys():
        raise Refus("Une phase n’appartient pas à cette mission ; rechargez la page.")
    retirees = [phase for pk, phase in existantes.items() if pk not in gardees]
    if pleines := [phase.nom for phase in retirees if phase.livrables.exists()]:
        raise Refus(f"La phase « {pleines[0]} » a des livrables : elle ne peut pas être retirée.")
    avant = [phase.nom for phase in existantes.values()]
    Phase.objects.filter(pk__in=[phase.pk for phase in retirees]).delete()
    for pk in gardees:
        Phase.objects.filter(pk=pk).update(ordre=DECALAGE + existantes[pk].ordre)
    resultat = []
    for ordre, ligne in enumerate(phases, start=1):
        phase = existantes.get(ligne["id"]) or Phase(mission=mission)
        phase.ordre, phase.nom, phase.echeance = ordre, ligne["nom"].strip(), ligne["echeance"]
        phase.save()
        resultat.append(phase)
    journaliser(
        acteur=par,
        action="ingenierie.phases_modifiees",
        objet=mission,
        details={"phases": [avant, [phase.nom for phase in resultat]]},
    )
    return resultat
