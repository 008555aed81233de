"""The public page « Croiser un fichier avec les Territoires d’industrie »: upload, choose the column, download.

No login: the tool reads only public data (the référentiel and the territories' perimeters) and keeps nothing once
the result is downloaded (`depot`)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ti.core.navigation import fil_ariane
from ti.core.tableaux import TableauIllisible
from ti.core.tableaux_flux import LIGNES_MAX, LIGNES_MAX_XLSX, TAILLE_MAX

from . import depot, service
from .correspondances import COLONNES_COMMUNE
from .forms import ChoixForm, DepotForm
from .placement import COLONNES_AJOUTEES


def _contexte(courant: str, **autres) -> dict:
    liens = [("Croiser un fichier", reverse("croisement:deposer"))] if autres.get("examen") else []
    return {
        "fil_ariane": fil_ariane(courant, *liens),
        "colonnes_ajoutees": COLONNES_AJOUTEES,
        "taille_max": TAILLE_MAX // 1024 // 1024,
        "lignes_max": LIGNES_MAX,
        "lignes_max_xlsx": LIGNES_MAX_XLSX,
        **autres,
    }


@require_http_methods(["GET", "POST"])
def deposer(request):
    form = DepotForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    if request.method == "POST" and form.is_valid():
        try:
            jeton, _, _ = service.recevoir(form.cleaned_data["fichier"])
        except TableauIllisible as refus:
            form.add_error("fichier", service.phrase(refus))
        else:
            return redirect("croisement:choisir", jeton)
    return render(request, "croisement/deposer.html", _contexte("Croiser un fichier", form=form))


@require_http_methods(["GET", "POST"])
def choisir(request, jeton):
    depose = depot.retrouver(jeton)
    if depose is None:
        messages.error(request, "Le fichier déposé n’est plus disponible (plus d’une heure, ou déjà traité) : "
                       "déposez-le de nouveau.")  # fmt: skip
        return redirect("croisement:deposer")
    chemin, examen, nom = depose
    form = ChoixForm(request.POST or None, entete=examen.entete)
    if request.method == "POST" and form.is_valid():
        try:
            choix = service.choix_des_colonnes(examen, **form.colonnes())
            return service.reponse(jeton, chemin, examen, nom, choix)
        except TableauIllisible as refus:
            messages.error(request, service.phrase(refus))
            return redirect("croisement:deposer")
    return render(
        request,
        "croisement/choisir.html",
        _contexte("Choisir la colonne", form=form, examen=examen, nom=nom, colonnes_commune=COLONNES_COMMUNE),
    )
