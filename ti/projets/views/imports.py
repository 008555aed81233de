"""Import of a territory's fiches-action: upload, preview with the per-row report, confirmation; and the template.

Between the preview and the confirmation the uploaded file is kept in the default storage (like the fiches'
documents, so shared by every application server), under a random name, and the confirmation form carries a signed
token naming it, its territory, its user and its SHA-256. On confirmation the action checks the file again and
writes everything or nothing. See docs/decisions/0009-import-projets.md.
"""

import hashlib
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ti.comptes import permissions
from ti.core.exports import piece_jointe
from ti.core.navigation import fil_ariane
from ti.core.stockage import retirer_les_perimes
from ti.projets import import_modele
from ti.projets.actions import imports as actions
from ti.projets.forms_import import ImportForm
from ti.projets.importer import analyser
from ti.territoires.models import Territoire

DOSSIER_DEPOTS = "imports-projets"
DUREE_DEPOT = timedelta(hours=1)  # between the preview and the confirmation
SEL = "ti.projets.import"
TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@login_required
@require_http_methods(["GET", "POST"])
def importer(request, identifiant):
    territoire = get_object_or_404(Territoire.objects.du_perimetre(request.user), identifiant=identifiant)
    permissions.exiger(request.user, "modifier_projet", territoire)
    if request.method == "POST" and "jeton" in request.POST:
        return _confirmer(request, territoire)
    form = ImportForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        contenu, nom = fichier.read(), PurePath(fichier.name).name
        analyse = analyser(territoire=territoire, contenu=contenu, nom_fichier=nom)
        jeton = _deposer(request, territoire, contenu, nom) if analyse.valide else ""
        return _apercu(request, territoire, analyse, jeton)
    return render(request, "projets/import.html", {"territoire": territoire, "form": form, **_pages(territoire)})


def _confirmer(request, territoire):
    try:
        depot, contenu, nom = _reprendre(request, territoire)
    except DepotIntrouvable as e:
        messages.error(request, str(e))
        return redirect("projets:import", territoire.identifiant)
    try:
        projets = actions.importer_projets(
            territoire=territoire, par=request.user, contenu=contenu, nom_fichier=nom, depot=depot
        )
    except actions.DejaImporte:
        messages.info(request, f"Le fichier « {nom} » a déjà été importé.")
        return redirect("projets:territoire", territoire.identifiant)
    except actions.ImportRefuse as refus:  # something changed since the preview: show why, offer nothing to confirm
        return _apercu(request, territoire, refus.analyse, jeton="")
    _retirer(depot)
    n = len(projets)
    messages.success(
        request,
        f"{n} fiche-action importée depuis « {nom} »." if n == 1 else f"{n} fiches-action importées depuis « {nom} ».",
    )
    return redirect("projets:territoire", territoire.identifiant)


def _apercu(request, territoire, analyse, jeton):
    return render(
        request,
        "projets/import_apercu.html",
        {"territoire": territoire, "analyse": analyse, "jeton": jeton, **_pages(territoire)},
    )


def _pages(territoire) -> dict:
    liens = [
        ("Les territoires d’industrie", reverse("territoires:liste")),
        (territoire.nom, territoire.get_absolute_url()),
        ("Fiches-action", reverse("projets:territoire", args=[territoire.identifiant])),
    ]
    return {
        "fil_ariane": fil_ariane("Importer un tableur", *liens),
        "modele_csv": reverse("projets:import_modele", args=["csv"]) + f"?territoire={territoire.identifiant}",
        "modele_xlsx": reverse("projets:import_modele", args=["xlsx"]) + f"?territoire={territoire.identifiant}",
    }


# The uploaded file, between preview and confirmation ----------------------------------------------------------


class DepotIntrouvable(Exception):
    """The token is forged, expired, or names a file that is gone; the message tells the user what to do."""


def _deposer(request, territoire, contenu: bytes, nom: str) -> str:
    _retirer_les_perimes()
    depot = uuid.uuid4().hex
    default_storage.save(_chemin(depot), ContentFile(contenu))
    return signing.dumps(
        {
            "depot": depot,
            "territoire": territoire.pk,
            "utilisateur": request.user.pk,
            "nom": nom,
            "empreinte": hashlib.sha256(contenu).hexdigest(),
        },
        salt=SEL,
    )


def _reprendre(request, territoire) -> tuple[str, bytes, str]:
    try:
        donnees = signing.loads(request.POST["jeton"], salt=SEL, max_age=DUREE_DEPOT)
    except signing.SignatureExpired as e:
        raise DepotIntrouvable("L’aperçu a expiré : déposez de nouveau le fichier.") from e
    except signing.BadSignature as e:
        raise DepotIntrouvable("Le formulaire de confirmation est invalide : déposez de nouveau le fichier.") from e
    if donnees["territoire"] != territoire.pk or donnees["utilisateur"] != request.user.pk:
        raise DepotIntrouvable("Ce dépôt ne correspond pas à ce territoire : déposez de nouveau le fichier.")
    depot = donnees["depot"]
    try:
        with default_storage.open(_chemin(depot), "rb") as fichier:
            contenu = fichier.read()
    except FileNotFoundError:
        if actions.deja_importe(territoire, depot):
            contenu = b""  # the action says so
        else:
            raise DepotIntrouvable("Le fichier déposé n’est plus disponible : déposez-le de nouveau.") from None
    else:
        if hashlib.sha256(contenu).hexdigest() != donnees["empreinte"]:
            raise DepotIntrouvable("Le fichier déposé a changé : déposez-le de nouveau.")
    return depot, contenu, donnees["nom"]


def _chemin(depot: str) -> str:
    return f"{DOSSIER_DEPOTS}/{depot}"


def _retirer(depot: str) -> None:
    default_storage.delete(_chemin(depot))


def _retirer_les_perimes() -> None:
    """Files of previews never confirmed: removed once they can no longer be confirmed."""
    retirer_les_perimes(DOSSIER_DEPOTS, timezone.now() - DUREE_DEPOT)


# The template ------------------------------------------------------------------------------------------------


def modele(request, format):
    """The template to fill, in CSV or XLSX; with `?territoire=`, the example row names one of its communes."""
    if format not in TYPES:
        raise Http404("Modèle disponible en CSV et en XLSX.")
    territoire = None
    if identifiant := request.GET.get("territoire"):
        territoire = Territoire.objects.visible_to(request.user).filter(identifiant=identifiant).first()
    contenu = import_modele.modele_csv(territoire) if format == "csv" else import_modele.modele_xlsx(territoire)
    type_mime, extension = TYPES[format]
    return piece_jointe(contenu, type_mime, f"modele-import-fiches-action.{extension}")
