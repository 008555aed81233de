"""Pages of the teams: the private inbox of investors' requests, a request, a site's status, the CNIG import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.core.antivirus import Analyse
from ti.core.models import historique
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans, refus_en_message
from ti.foncier import actions, echange, televersement
from ti.foncier.forms import ImportForm, PieceForm, SiteForm, StatutDemandeForm, StatutSiteForm
from ti.foncier.models import Demande, Piece, Site, StatutDemande

PAR_PAGE = 30


@login_required
def boite(request):
    """The requests about the sites of the user's territories and région, newest first; by status."""
    demandes = Demande.objects.visible_to(request.user)
    statut = request.GET.get("statut")
    comptes = dict(demandes.order_by().values_list("statut").annotate(n=Count("pk")))
    if statut in StatutDemande.values:
        demandes = demandes.filter(statut=statut)
    page = Paginator(demandes.select_related("site__commune"), PAR_PAGE).get_page(request.GET.get("page"))
    onglets = [(code, libelle, comptes.get(code, 0)) for code, libelle in StatutDemande.choices]
    return render(
        request,
        "foncier/boite.html",
        {
            "page_obj": page,
            "onglets": onglets,
            "statut": statut,
            "fil_ariane": fil_ariane("Demandes d’investisseurs", ("Sites clés en main", reverse("foncier:catalogue"))),
        },
    )


@login_required
def demande(request, pk: int):
    demande = get_object_or_404(
        Demande.objects.visible_to(request.user).select_related("site__commune"),
        pk=pk,
    )
    form = StatutDemandeForm(request.POST or None, initial={"statut": demande.statut})
    if request.method == "POST" and form.is_valid():
        try:
            actions.changer_statut_demande(demande=demande, par=request.user, **form.cleaned_data)
        except actions.Refus as refus:
            form.add_error("statut", str(refus))
        else:
            messages.success(request, "Statut de la demande enregistré.")
            return redirect(demande)
    return render(
        request,
        "foncier/demande.html",
        {
            "demande": demande,
            "form": form,
            "historique": historique(demande)[:50],
            "fil_ariane": fil_ariane(
                str(demande),
                ("Sites clés en main", reverse("foncier:catalogue")),
                ("Demandes d’investisseurs", reverse("foncier:boite")),
            ),
        },
    )


@login_required
def modifier_site(request, identifiant: str):
    site = get_object_or_404(Site.objects.visible_to(request.user).select_related("commune"), identifiant=identifiant)
    permissions.exiger(request.user, "gerer_site", site)
    form = SiteForm(request.POST or None, instance=Site.objects.get(pk=site.pk))  # the form edits its own copy
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            changements = actions.modifier_site(
                site=site, par=request.user, donnees=form.donnees(), motif=form.cleaned_data["motif"]
            )
            messages.success(request, "Site mis à jour." if changements else "Aucune modification.")
            return redirect(site)
    return render(
        request,
        "foncier/modifier.html",
        {
            "site": site,
            "form": form,
            "fil_ariane": fil_ariane(
                "Modifier", ("Sites clés en main", reverse("foncier:catalogue")), (site.nom, site.get_absolute_url())
            ),
        },
    )


@login_required
@require_POST
def statut_site(request, identifiant: str):
    site = get_object_or_404(Site.objects.visible_to(request.user), identifiant=identifiant)
    form = StatutSiteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un statut.")
    else:
        with refus_en_message(request):
            actions.changer_statut_site(site=site, par=request.user, **form.cleaned_data)
            messages.success(request, f"Le site est désormais « {site.get_statut_display().lower()} ».")
    return redirect(site)


@login_required
def importer(request):
    if not permissions.peut(request.user, "gerer_site"):
        raise PermissionDenied("Seule l’équipe nationale importe des fichiers du standard.")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    rapport = None
    if request.method == "POST" and form.is_valid():
        try:
            contenus = {
                nom: televersement.lire(form.cleaned_data[nom]) if form.cleaned_data[nom] else None
                for nom in ("sites", "terrains")
            }
        except echange.FichierRefuse as refus:
            form.add_error(None, str(refus))
        else:
            rapport = echange.importer(par=request.user, **contenus)
            if rapport.valide:
                messages.success(request, "Import terminé.")
    return render(
        request,
        "foncier/import.html",
        {
            "form": form,
            "rapport": rapport,
            "fil_ariane": fil_ariane("Importer", ("Sites clés en main", reverse("foncier:catalogue"))),
        },
    )


@login_required
@require_POST
def ajouter_piece(request, identifiant: str):
    site = get_object_or_404(Site.objects.visible_to(request.user), identifiant=identifiant)
    permissions.exiger(request.user, "gerer_site", site)
    form = PieceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            piece = actions.ajouter_piece(site=site, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            _dire_le_verdict(request, piece)
    else:
        messages.error(request, "Choisissez un fichier et écrivez sa légende.")
    return redirect(site)


@login_required
@require_POST
def archiver_piece(request, identifiant: str, pk: int):
    piece = get_object_or_404(Piece.objects.actives().select_related("site"), site__identifiant=identifiant, pk=pk)
    actions.archiver_piece(piece=piece, par=request.user)
    messages.success(request, f"« {piece.legende} » est retiré de la page du site.")
    return redirect(piece.site)


def _dire_le_verdict(request, piece: Piece) -> None:
    """A file is published only once the antivirus has cleared it (ti/core/antivirus.py)."""
    if piece.servable:
        messages.success(request, "Fichier ajouté au site.")
    elif piece.analyse == Analyse.QUARANTAINE:
        messages.error(
            request,
            f"L’antivirus a détecté une menace dans « {piece.nom} » ({piece.menace}) : le fichier est conservé mais "
            "ne sera pas publié. Déposez une version saine.",
        )
    else:
        messages.warning(request, f"« {piece.nom} » sera publié sur la page du site une fois analysé par l’antivirus.")
