"""The home page: the programme in figures (cached until the data changes), the way to one's commune and territory."""

from django.shortcuts import render

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
