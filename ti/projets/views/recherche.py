"""The one search over fiches-action: what `Projet.objects.visible_to(user)` lets the person see — published fiches
for a visitor (or a porteur), every fiche of their scope for the agents and the published ones of the others.

It replaced two look-alike pages (the public directory and the agents' search): the agents' old address redirects
here with its criteria. A fixed number of SQL queries whatever the number of fiches (the tests hold them to it).
"""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from ti.comptes.permissions import visibilite
from ti.core.cache import en_cache
from ti.core.navigation import fil_ariane
from ti.projets import affichage, selectors, selectors_facettes
from ti.projets.forms_recherche import RechercheProjetsForm
from ti.projets.selectors_filtres import cle_du_cache, filtres_de

PAR_PAGE = 20


class _Pages(Paginator):
    """The number of results is counted with the facets (same scan, same cache entry): no COUNT query of its own."""

    def __init__(self, object_list, per_page, *, total: int):
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


def _sans(request, nom: str, code: str) -> str:
    """The current search without one ticked value (a link on its tag), back to the first page."""
    parametres = request.GET.copy()
    parametres.setlist(nom, [valeur for valeur in parametres.getlist(nom) if valeur != code])
    parametres.pop("page", None)
    return f"?{parametres.urlencode()}"


def _export(request) -> str:
    """The CSV export (national schema) of the same public search."""
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return f"{reverse('api:export_projets_collectivites')}?{parametres.urlencode()}"


ACTION = "projets:annuaire"


def _facettes_rendues(facettes: list) -> SafeString:
    return render_to_string("projets/recherche_facettes.html", {"facettes": facettes, "action": reverse(ACTION)})


def _comptes(user, criteres: dict) -> tuple[selectors_facettes.Comptes, SafeString]:
    """The search's counts and its facets' boxes as HTML, rendered once per search and kept with the counts (same
    key, same invalidation): a hundred boxes and their numbers cost as much to render as the page's results. They
    show the counts and the ticked values, which the key holds, and nothing of the person beyond what the key says
    (`visibilite`)."""

    def calcul():
        comptes = selectors_facettes.compter(user, **criteres)
        return comptes, _facettes_rendues(list(comptes.facettes.values()))

    cle = cle_du_cache(user, criteres["q"], filtres_de(**criteres))
    comptes, facettes = en_cache(f"{cle}:comptes-et-facettes", calcul)
    return comptes, mark_safe(facettes)


def annuaire(request):
    """Everyone's search; the results respect the person's scope."""
    user = request.user
    public = visibilite(user) == "public"  # sees the published fiches only, as a visitor
    form = RechercheProjetsForm(request.GET)  # always bound: no criterion is a valid search for everything
    page = facettes = None
    filtres_actifs = []
    if form.is_valid():
        criteres = form.criteres()
        comptes, facettes = _comptes(user, criteres)
        lignes = selectors.Lignes(selectors.Classement(user, **criteres))
        page = _Pages(lignes, PAR_PAGE, total=comptes.total).get_page(request.GET.get("page"))
        # The numbered links of the pagination: 1 … 4 5 6 … 10
        page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
        filtres_actifs = [
            {"facette": facette.libelle, "libelle": valeur.libelle, "url": _sans(request, facette.nom, valeur.code)}
            for facette in comptes.facettes.values()
            for valeur in facette.choisies
        ]
    titre = "Les projets des territoires"
    return render(
        request,
        "projets/recherche.html",
        {
            "form": form,
            "page_obj": page,
            "pagination": affichage.pagination(request, page) if page else None,
            "facettes": facettes if facettes is not None else _facettes_rendues([]),  # invalid criteria: no counts
            "filtres_actifs": filtres_actifs,
            "public": public,
            "titre": titre,
            "action": reverse(ACTION),
            "export": _export(request),
            "fil_ariane": fil_ariane(titre),
        },
    )


def recherche(request):
    """The agents' former search page: the same criteria on the one search."""
    parametres = request.GET.urlencode()
    return redirect(f"{reverse(ACTION)}{'?' + parametres if parametres else ''}", permanent=True)
