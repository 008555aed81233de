"""The deliverables of a mission: uploaded by its consultant, validated or sent back by the territory, downloaded by
those who see the mission once the antivirus has cleared them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ti.core.antivirus import SERVABLES
from ti.core.envois import une_seule_fois
from ti.core.etats import Refus
from ti.core.vues import refus_en_message
from ti.ingenierie import actions
from ti.ingenierie.forms import ExamenLivrableForm, LivrableForm
from ti.ingenierie.models import Livrable, Mission


def _mission(request, pk: int) -> Mission:
    return get_object_or_404(Mission.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
@une_seule_fois
def deposer(request, pk: int):
    mission = _mission(request, pk)
    form = LivrableForm(request.POST, request.FILES, mission=mission)
    if not form.is_valid():
        messages.error(request, " ".join(e for erreurs in form.errors.values() for e in erreurs))
        return redirect(mission)
    try:
        actions.deposer_livrable(mission=mission, par=request.user, **form.cleaned_data)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    except Refus as refus:
        messages.error(request, str(refus))
    else:
        messages.success(request, "Livrable déposé : le territoire est invité à le valider.")
    return redirect(mission)


@login_required
@require_POST
def examiner(request, pk: int, livrable: int):
    mission = _mission(request, pk)
    livrable = get_object_or_404(Livrable.objects.select_related("mission__territoire"), mission=mission, pk=livrable)
    form = ExamenLivrableForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez de valider ou de renvoyer le livrable.")
        return redirect(mission)
    with refus_en_message(request):
        livrable = actions.examiner_livrable(livrable=livrable, par=request.user, **form.cleaned_data)
        messages.success(request, f"Livrable « {livrable.titre} » : {livrable.get_statut_display().lower()}.")
    return redirect(mission)


@login_required
def telecharger(request, pk: int, livrable: int):
    mission = _mission(request, pk)
    livrable = get_object_or_404(Livrable.objects.filter(analyse__in=SERVABLES), mission=mission, pk=livrable)
    try:
        contenu = livrable.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier est introuvable.") from None
    reponse = FileResponse(contenu, as_attachment=True, filename=livrable.nom, content_type=livrable.type_mime)
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse
