"""The outcomes of a mission: the fiches-action it brought out or moved forward, linked by the national team or the
territory's team (decision 0045)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ti.core.vues import refus_en_message
from ti.ingenierie import actions
from ti.ingenierie.forms import FichesMissionForm
from ti.ingenierie.models import Mission


@login_required
@require_POST
def rattacher_fiches(request, pk: int):
    mission = get_object_or_404(Mission.objects.visible_to(request.user).select_related("territoire"), pk=pk)
    form = FichesMissionForm(request.POST, mission=mission)
    if not form.is_valid():
        messages.error(request, "Choisissez des fiches-action du territoire de la mission.")
        return redirect(mission)
    with refus_en_message(request):
        actions.rattacher_fiches(mission=mission, par=request.user, projets=list(form.cleaned_data["projets"]))
        messages.success(request, "Résultats de la mission enregistrés.")
    return redirect(mission)
