"""The home page: the programme in figures (cached until the data changes), the way to one's commune and territory;
the « Données ouvertes » page: every dataset and API the platform publishes."""

from dataclasses import replace

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.urls import reverse

from ti.animation.models import Evenement
from ti.core.formats import date_longue
from ti.core.navigation import fil_ariane
from ti.financements.models import AttributionFondsVert
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
    """Two queries: the years of the Fonds vert list loaded, and the next public events, whose calendar files are
    listed with the events' dataset (public ones, whoever asks: this page describes what anybody may reuse)."""
    annees = list(AttributionFondsVert.objects.values_list("annee", flat=True).distinct().order_by("-annee"))
    prochains = Evenement.objects.visible_to(AnonymousUser()).a_venir()[:PROCHAINS_EVENEMENTS]
    agendas = [
        catalogue.Ressource(
            f"{evenement.titre}, le {date_longue(evenement.debut)}",
            reverse("animation:agenda", args=[evenement.pk]),
            "iCalendar",
            telechargement=True,
        )
        for evenement in prochains
    ]
    jeux = [
        replace(jeu, ressources=[*jeu.ressources, *agendas]) if jeu.cle == "evenements" else jeu
        for jeu in catalogue.jeux(annees_fonds_vert=annees)
    ]
    return render(
        request,
        "pilotage/donnees_ouvertes.html",
        {"jeux": jeux, "licence": catalogue.LICENCE, "fil_ariane": fil_ariane("Données ouvertes")},
    )
