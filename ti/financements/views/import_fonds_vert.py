"""The national team loads the yearly national list of Fonds vert awards: upload, preview, confirmation, progress
(docs/decisions/0035-liste-fonds-vert-reelle.md). National team only: 403 for every other role, 404 for an unknown
import."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ti.comptes import permissions
from ti.core.navigation import fil_ariane
from ti.financements.actions import import_fonds_vert as actions
from ti.financements.forms_import import DepotForm
from ti.financements.import_fonds_vert import COLONNES, ImportRefuse
from ti.financements.models import ImportFondsVert

IMPORTS_RECENTS = 10


@login_required
@require_http_methods(["GET", "POST"])
def deposer(request):
    permissions.exiger(request.user, "importer_fonds_vert")
    form = DepotForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    rapport = None
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            import_, rapport = actions.deposer(
                par=request.user,
                contenu=fichier.read(),
                nom_fichier=PurePath(fichier.name).name,
                annee=form.cleaned_data["annee"],
            )
        except ImportRefuse as refus:
            form.add_error("annee", str(refus))
        else:
            if import_ is not None:
                return redirect("financements:import_fonds_vert", import_.pk)
    imports = ImportFondsVert.objects.select_related("par").defer("apercu", "resultat")[:IMPORTS_RECENTS]
    return render(
        request,
        "financements/import_fonds_vert_depot.html",
        {
            "form": form,
            "rapport": rapport.resume() if rapport else None,
            "imports": imports,
            "colonnes": COLONNES,
            "fil_ariane": _fil("Importer la liste nationale"),
        },
    )


@login_required
@require_GET
def detail(request, pk):
    permissions.exiger(request.user, "importer_fonds_vert")
    import_ = get_object_or_404(ImportFondsVert.objects.select_related("par"), pk=pk)
    return render(
        request,
        "financements/import_fonds_vert.html",
        {
            "import": import_,
            "apercu": import_.apercu,
            "resultat": import_.resultat,
            "fil_ariane": _fil(str(import_), depot=True),
        },
    )


@login_required
@require_POST
def confirmer(request, pk):
    permissions.exiger(request.user, "importer_fonds_vert")
    import_ = get_object_or_404(ImportFondsVert, pk=pk)
    try:
        actions.confirmer(import_=import_, par=request.user)
    except actions.Refus as refus:
        messages.info(request, str(refus))
    return redirect("financements:import_fonds_vert", import_.pk)


@login_required
@require_GET
def progression(request, pk):
    """Polled by static/financements/progression-import.js while the import runs."""
    permissions.exiger(request.user, "importer_fonds_vert")
    import_ = get_object_or_404(ImportFondsVert.objects.only("statut", "lignes_total", "lignes_traitees"), pk=pk)
    return JsonResponse(
        {
            "statut": import_.statut,
            "termine": not import_.en_cours,
            "traitees": import_.lignes_traitees,
            "total": import_.lignes_total,
            "message": _message(import_),
        }
    )


def _message(import_: ImportFondsVert) -> str:
    if import_.statut == ImportFondsVert.Statut.EN_ATTENTE:
        return "En attente de démarrage…"
    if import_.statut == ImportFondsVert.Statut.EN_COURS:
        if import_.lignes_traitees >= import_.lignes_total:
            return f"{import_.lignes_total} lignes vérifiées ; enregistrement en cours…"
        return f"{import_.lignes_traitees} lignes vérifiées sur {import_.lignes_total}…"
    return import_.get_statut_display()


def _fil(courant: str, *, depot: bool = False) -> dict:
    liens = [("Le Fonds vert dans les territoires d’industrie", reverse("financements:fonds_vert"))]
    if depot:
        liens.append(("Importer la liste nationale", reverse("financements:import_fonds_vert_depot")))
    return fil_ariane(courant, *liens)
