"""Each person's calendar feed: the page that gives (and renews) its secret address, and the feed itself."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone

from ti.animation import actions, agenda
from ti.animation.models import Evenement, FluxAgenda, StatutInscription
from ti.comptes import permissions
from ti.core.navigation import fil_ariane

PROGRAMME = ("Animation du réseau", reverse_lazy("animation:programme"))
PASSE_GARDE = timedelta(days=90)  # the feed keeps the recent past, so that an agenda does not lose it at once


@login_required
def mon_agenda(request):
    if not permissions.peut(request.user, "echanger_reseau"):
        raise Http404
    if request.method == "POST":
        actions.renouveler_flux(par=request.user)
        messages.success(request, "Nouvelle adresse d’agenda : l’ancienne ne fonctionne plus.")
        return redirect("animation:mon_agenda")
    flux = FluxAgenda.objects.filter(utilisateur=request.user).first()
    adresse = request.build_absolute_uri(flux.get_absolute_url()) if flux else ""
    return render(
        request,
        "animation/mon_agenda.html",
        {"adresse": adresse, "fil_ariane": fil_ariane("Mon agenda", PROGRAMME)},
    )


def flux(request, jeton: str):
    """No login: the secret address is the key. Only the events the person is registered to and still sees."""
    flux = get_object_or_404(FluxAgenda.objects.select_related("utilisateur"), jeton=jeton)
    personne = flux.utilisateur
    if not permissions.peut(personne, "echanger_reseau"):
        raise Http404  # an account closed or out of the network since
    evenements = Evenement.objects.visible_to(personne).filter(
        inscriptions__participant=personne,
        inscriptions__statut=StatutInscription.INSCRIT,
        fin__gte=timezone.now() - PASSE_GARDE,
    )
    contenu = agenda.calendrier((e, request.build_absolute_uri(e.get_absolute_url())) for e in evenements)
    return HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
