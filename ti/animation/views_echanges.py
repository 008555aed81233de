"""The network's space: threads by theme and their replies, for the network's members only (others: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy

from ti.animation import actions
from ti.animation.forms import FilForm, ReponseForm
from ti.animation.models import Fil, Theme
from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane

ECHANGES = ("Échanges du réseau", reverse_lazy("animation:fils"))
PAR_PAGE = 50


def _fils(request):
    if not permissions.peut(request.user, "echanger_reseau"):
        raise Http404  # out of the network: the space does not exist for you
    return Fil.objects.visible_to(request.user)


@login_required
def fils(request):
    fils = _fils(request).select_related("auteur").annotate(nb_reponses=Count("reponses"))
    theme = request.GET.get("theme")
    if theme in Theme.values:
        fils = fils.filter(theme=theme)
    return render(
        request,
        "animation/fils.html",
        {"fils": fils[:PAR_PAGE], "themes": Theme.choices, "theme": theme, "fil_ariane": fil_ariane(ECHANGES[0])},
    )


@login_required
@une_seule_fois
def fil(request, pk: int):
    fil = get_object_or_404(_fils(request).select_related("auteur"), pk=pk)
    form = ReponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.repondre(fil=fil, par=request.user, texte=form.cleaned_data["texte"])
        messages.success(request, "Votre réponse est publiée ; l’auteur de la question en est prévenu.")
        return redirect(fil)
    return render(
        request,
        "animation/fil.html",
        {
            "fil": fil,
            "reponses": fil.reponses.select_related("auteur"),
            "form": form,
            "fil_ariane": fil_ariane(fil.titre, ECHANGES),
        },
    )


@login_required
@une_seule_fois
def nouveau_fil(request):
    _fils(request)
    form = FilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fil = actions.ouvrir_fil(par=request.user, **form.cleaned_data)
        messages.success(request, "Votre question est publiée dans l’espace du réseau.")
        return redirect(fil)
    return render(
        request, "animation/nouveau_fil.html", {"form": form, "fil_ariane": fil_ariane("Poser une question", ECHANGES)}
    )
