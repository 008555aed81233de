"""The phases of a mission, edited by the national team: names, order, due dates (decision 0045)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ti.comptes import permissions
from ti.core.etats import Refus
from ti.core.navigation import fil_ariane
from ti.ingenierie.actions_phases import definir_phases
from ti.ingenierie.forms import PhasesFormSet, phases_soumises
from ti.ingenierie.models import Mission


def phases_de_la_mission(mission: Mission) -> tuple[list[dict], list]:
    """Each phase in order with its deliverables and state, and the deliverables filed in no phase (before phases
    existed). Reads the phases and deliverables prefetched on the mission."""
    aujourd_hui = timezone.localdate()
    livrables = list(mission.livrables.all())
    phases = [
        {"phase": phase, "livrables": (ses := [x for x in livrables if x.phase_id == phase.pk])}
        | dict(zip(("etat", "badge"), phase.etat(ses, aujourd_hui), strict=True))
        for phase in mission.phases.all()
    ]
    return phases, [livrable for livrable in livrables if livrable.phase_id is None]


@login_required
def modifier_phases(request, pk: int):
    mission = get_object_or_404(Mission.objects.visible_to(request.user).select_related("territoire"), pk=pk)
    permissions.exiger(request.user, "piloter_mission", mission)
    initial = [{"id": p.pk, "nom": p.nom, "echeance": p.echeance} for p in mission.phases.all()]
    formset = PhasesFormSet(request.POST or None, initial=initial, prefix="phases")
    erreur = None
    if request.method == "POST" and formset.is_valid():
        try:
            definir_phases(mission=mission, par=request.user, phases=phases_soumises(formset))
        except Refus as refus:
            erreur = str(refus)
        else:
            messages.success(request, "Phases de la mission enregistrées.")
            return redirect(mission)
    return render(
        request,
        "ingenierie/phases.html",
        {
            "mission": mission,
            "formset": formset,
            "erreur": erreur,
            "fil_ariane": fil_ariane("Phases", (mission.intitule, mission.get_absolute_url())),
        },
        status=400 if request.method == "POST" else 200,
    )
