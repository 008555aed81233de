"""Public pages of the sites clés en main: the catalogue (a search is a link), a site, the investor's request,
the figures, and the catalogue in the CNIG standard's files."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ti.comptes import permissions
from ti.core.navigation import fil_ariane
from ti.foncier import actions, echange, selectors
from ti.foncier.carte import carte_des_sites
from ti.foncier.forms import DemandeForm, PieceForm, RechercheSitesForm, StatutSiteForm
from ti.foncier.models import Piece, Site, Terrain

PAR_PAGE = 20
DEMANDES_PAR_HEURE = 5  # per address: enough for an adviser, too few for a robot


def _recherche(request):
    """The search form read from the query string, and the matching sites (None when a filter is invalid)."""
    form = RechercheSitesForm(request.GET)  # always bound: no filter is a search for everything
    return form, selectors.rechercher(form.criteres()) if form.is_valid() else None


def catalogue(request):
    form, sites = _recherche(request)
    contexte = {"form": form, "fil_ariane": fil_ariane("Sites clés en main"), "page_obj": None}
    if sites is not None:
        page = Paginator(sites.select_related("commune__region"), PAR_PAGE).get_page(request.GET.get("page"))
        page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
        pour_la_carte = sites.select_related("commune").only("nom", "longitude", "latitude", "commune__nom")
        contexte.update(
            page_obj=page,
            facettes=selectors.facettes(sites),
            carte=carte_des_sites(
                pour_la_carte, titre="Carte des sites clés en main trouvés", total=page.paginator.count
            ),
            requete=request.GET.urlencode(),
        )
    return render(request, "foncier/catalogue.html", contexte)


def _site(request, identifiant: str) -> Site:
    sites = Site.objects.visible_to(request.user).select_related("commune__region", "commune__departement", "epci")
    sites = sites.prefetch_related(
        Prefetch("terrains", queryset=Terrain.objects.order_by("identifiant")),
        Prefetch("pieces", queryset=Piece.objects.publiques(), to_attr="pieces_actives"),
    )
    return get_object_or_404(sites, identifiant=identifiant)


def site(request, identifiant: str):
    site = _site(request, identifiant)
    return _page_du_site(request, site, DemandeForm())


def _page_du_site(request, site: Site, form: DemandeForm, status: int = 200):
    contexte = {
        "site": site,
        "territoires": list(site.territoires()),
        "form": form,
        "peut_gerer": permissions.peut(request.user, "gerer_site", site),
        "statut_form": StatutSiteForm(initial={"statut": site.statut}),
        "piece_form": PieceForm(),
        "carte": carte_des_sites([site], titre=f"Situation du site « {site.nom} »", identifiant="carte-site"),
        "fil_ariane": fil_ariane(site.nom, ("Sites clés en main", reverse("foncier:catalogue"))),
    }
    return render(request, "foncier/site.html", contexte, status=status)


def _compter_une_demande(request) -> bool:
    """Counts a request from the caller's address; False past the hourly limit (the cache keeps the count)."""
    cle = f"foncier:demandes:{get_client_ip_address(request)}"
    cache.add(cle, 0, timeout=3600)
    return cache.incr(cle) <= DEMANDES_PAR_HEURE


def demander(request, identifiant: str):
    site = _site(request, identifiant)
    if request.method != "POST":
        return redirect(site)
    form = DemandeForm(request.POST)
    if not _compter_une_demande(request):
        form.add_error(None, "Trop de demandes envoyées depuis votre connexion : réessayez dans une heure.")
        return _page_du_site(request, site, form, status=429)
    if not form.is_valid():
        return _page_du_site(request, site, form, status=400)
    if not form.est_un_robot():  # a robot is thanked like a person, and nothing is kept
        actions.deposer_demande(site=site, **form.champs_demande())
    messages.success(
        request,
        "Votre demande est envoyée au chef de projet du territoire et à la région, qui vous répondront.",
    )
    return redirect(site)


def piece(request, identifiant: str, pk: int):
    """A site's photo (shown in its page) or document (downloaded): public like the site, archived ones gone."""
    piece = get_object_or_404(Piece.objects.publiques(), site__identifiant=identifiant, pk=pk)
    try:
        contenu = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier est introuvable.") from None
    reponse = FileResponse(
        contenu, as_attachment=not piece.est_une_photo, filename=piece.nom, content_type=piece.type_mime
    )
    reponse["X-Content-Type-Options"] = "nosniff"  # the checked type, never a browser's guess
    return reponse


def chiffres(request):
    return render(
        request,
        "foncier/chiffres.html",
        {
            "chiffres": selectors.chiffres(),
            "phrases": [selectors.phrase_laureats(vague) for vague in ("france_2030", "pack_rebond")],
            "fil_ariane": fil_ariane("Chiffres", ("Sites clés en main", reverse("foncier:catalogue"))),
        },
    )


def _filtre_invalide(request):
    messages.error(request, "Un filtre n’est pas valide : corrigez-le avant d’exporter.")
    return redirect(f"{reverse('foncier:catalogue')}?{request.GET.urlencode()}")


def export_sites(request):
    """The sites of the search (all of them without filter), as the standard's site-eco file."""
    _, sites = _recherche(request)
    if sites is None:
        return _filtre_invalide(request)
    return echange.reponse_csv(echange.exporter_sites(sites), "site-eco.csv")


def export_terrains(request):
    _, sites = _recherche(request)
    if sites is None:
        return _filtre_invalide(request)
    return echange.reponse_csv(echange.exporter_terrains(Terrain.objects.filter(site__in=sites)), "terrain-eco.csv")
