"""The search over fiches-action: for agents within their scope, and the public directory of published fiches.

Both pages are the same search (`ti.projets.selectors`) from a different starting point: the agent's scope
(`Projet.objects.visible_to(user)`), or what a visitor without an account sees (`PUBLIC`: published fiches only).
A fixed number of SQL queries whatever the number of fiches (the tests hold them to it).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from ti.core.navigation import fil_ariane
from ti.projets import selectors
from ti.projets.forms_recherche import RechercheProjetsForm

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


def _page(request, *, user, public: bool):
    form = RechercheProjetsForm(request.GET)  # always bound: no criterion is a valid search for everything
    page = facettes = None
    filtres_actifs = []
    if form.is_valid():
        criteres = form.criteres()
        comptes = selectors.compter(user, **criteres)
        facettes = comptes.facettes
        page = _Pages(selectors.Classement(user, **criteres), PAR_PAGE, total=comptes.total).get_page(
            request.GET.get("page")
        )
        # The numbered links of `{% dsfr_pagination %}`: 1 … 4 5 6 … 10
        page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
        filtres_actifs = [
            {"facette": facette.libelle, "libelle": valeur.libelle, "url": _sans(request, facette.nom, valeur.code)}
            for facette in facettes.values()
            for valeur in facette.choisies
        ]
    titre = "Les projets des territoires" if public else "Rechercher un projet"
    return render(
        request,
        "projets/recherche.html",
        {
            "form": form,
            "page_obj": page,
            "facettes": list(facettes.values()) if facettes else [],
            "filtres_actifs": filtres_actifs,
            "public": public,
            "titre": titre,
            "action": reverse("projets:annuaire" if public else "projets:recherche"),
            "export": _export(request) if public else None,
            "fil_ariane": fil_ariane(titre),
        },
    )


def annuaire(request):
    """The public directory: published fiches only, for everybody, logged in or not."""
    return _page(request, user=selectors.PUBLIC, public=True)


@login_required
def recherche(request):
    """Every fiche within the agent's scope (private ones of their territories included) and all published ones."""
    return _page(request, user=request.user, public=False)
