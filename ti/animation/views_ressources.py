"""The resource centre: search, a resource with its versions, publishing, a new version, downloads (counted)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ti.animation import actions_ressources as actions
from ti.animation.forms_ressources import RechercheRessourcesForm, RessourceForm, VersionForm
from ti.animation.models_ressources import Ressource, VersionRessource
from ti.animation.selectors_ressources import rechercher_ressources
from ti.animation.views import PROGRAMME
from ti.comptes import permissions
from ti.core.antivirus import SERVABLES
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans

RESSOURCES = ("Centre de ressources", reverse_lazy("animation:ressources"))
PAR_PAGE = 20


def ressources(request):
    """Public resources for everyone; the network's and the région's for its members (decision 0049)."""
    form = RechercheRessourcesForm(request.GET)
    page = None
    if form.is_valid():
        trouvees = rechercher_ressources(request.user, **form.criteres())
        page = Paginator(trouvees, PAR_PAGE).get_page(request.GET.get("page"))
        page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return render(
        request,
        "animation/ressources/liste.html",
        {
            "form": form,
            "page_obj": page,
            "criteres": form.criteres() if page is not None else {},
            "publieur": permissions.peut(request.user, "publier_ressource"),
            "fil_ariane": fil_ariane(RESSOURCES[0], PROGRAMME),
        },
    )


def _ressource(request, pk: int) -> Ressource:
    return get_object_or_404(
        Ressource.objects.visible_to(request.user)
        .select_related("derniere_version", "region", "evenement", "publiee_par")
        .defer("vecteur_recherche"),
        pk=pk,
    )


def ressource(request, pk: int):
    ressource = _ressource(request, pk)
    return render(
        request,
        "animation/ressources/ressource.html",
        {
            "ressource": ressource,
            "versions": ressource.versions.select_related("deposee_par"),
            "etiquettes": ressource.etiquettes.all(),
            "gestionnaire": permissions.peut(request.user, "publier_ressource", ressource),
            "form": VersionForm(),
            "fil_ariane": fil_ariane(ressource.titre, PROGRAMME, RESSOURCES),
        },
    )


@login_required
@une_seule_fois
def publier(request):
    permissions.exiger(request.user, "publier_ressource")
    form = RessourceForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form, fichier="fichier"):
            ressource = actions.publier(par=request.user, **form.cleaned_data)
            messages.success(request, "La ressource est publiée.")
            return redirect(ressource)
    return render(
        request,
        "animation/ressources/publier.html",
        {"form": form, "fil_ariane": fil_ariane("Publier une ressource", PROGRAMME, RESSOURCES)},
    )


@login_required
@require_POST
@une_seule_fois
def ajouter_version(request, pk: int):
    ressource = _ressource(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for erreurs in form.errors.values() for e in erreurs))
        return redirect(ressource)
    try:
        version = actions.ajouter_version(ressource=ressource, par=request.user, **form.cleaned_data)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    except actions.Refus as refus:
        messages.error(request, str(refus))
    else:
        messages.success(request, f"Version {version.numero} publiée ; les précédentes restent disponibles.")
    return redirect(ressource)


def telecharger(request, pk: int, numero: int | None = None):
    """The last version (or the one asked), for whoever sees the resource (404 otherwise), once the antivirus has
    cleared it; the download is counted. A replay hosted elsewhere is a redirection to its link, counted too."""
    ressource = _ressource(request, pk)
    versions = VersionRessource.objects.filter(ressource=ressource)
    if numero is None:
        version = get_object_or_404(versions, pk=ressource.derniere_version_id)
    else:
        version = get_object_or_404(versions, numero=numero)
    if version.lien:
        actions.compter_telechargement(version)
        return HttpResponseRedirect(version.lien)
    if version.analyse not in SERVABLES:  # quarantined, or not yet scanned: never served
        raise Http404("Ce fichier n’est pas disponible.")
    try:
        contenu = version.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier est introuvable.") from None
    actions.compter_telechargement(version)
    reponse = FileResponse(contenu, as_attachment=True, filename=version.nom, content_type=version.type_mime)
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse
