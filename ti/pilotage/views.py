"""The home page: the programme in figures (cached until the data changes), the way to one's commune and territory;
the « Données ouvertes » page: every dataset and API the platform publishes."""

from dataclasses import replace

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone

from ti.animation.models import Evenement
from ti.pilotage import donnees_ouvertes as catalogue
from ti.pilotage import selectors


def accueil(request):
    return render(
        request,
        "pilotage/accueil.html",
        {
            "chiffres": selectors.chiffres_cles(),
            "regions": selectors.regions_et_territoires(),
            "continuite": selectors.continuite_du_programme(),
            "reseau": selectors.phrase_du_reseau(),
        },
    )


PROCHAINS_EVENEMENTS = 5


def donnees_ouvertes(request):
    """One query: the next public events, whose calendar files are listed with the events' dataset. Public only,
    whoever asks: this page describes what anybody may reuse."""
    prochains = Evenement.objects.visible_to(AnonymousUser()).a_venir()[:PROCHAINS_EVENEMENTS]
    agendas = [
        catalogue.Ressource(
            f"{evenement.titre}, le {formats.date_format(timezone.localtime(evenement.debut), 'j F Y')}",
            reverse("animation:agenda", args=[evenement.pk]),
            "iCalendar",
            telechargement=True,
        )
        for evenement in prochains
    ]
    jeux = [
        replace(jeu, ressources=[*jeu.ressources, *agendas]) if jeu.cle == "evenements" else jeu
        for jeu in catalogue.jeux()
    ]
    return render(
        request,
        "pilotage/donnees_ouvertes.html",
        {"jeux": jeux, "licence": catalogue.LICENCE, "fil_ariane": {"current": "Données ouvertes"}},
    )
