"""Open data: the awarded grants in SCDL (`subventions`, docs/decisions/0015-file-et-scdl.md); `fonds_vert` to come."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from ti.financements import scdl


def _a_venir(request, **kwargs):
    raise Http404("À venir")


fonds_vert = _a_venir


def subventions(request):
    """The awarded grants (SCDL Subventions 2.1.1), public: a table page by page and the CSV of the API."""
    page = Paginator(scdl.subventions_attribuees(), SUBVENTIONS_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "financements/subventions.html",
        {
            "page_obj": page,
            "lignes": [scdl.ligne(dossier) for dossier in page.object_list],
            "fil_ariane": {"current": "Subventions attribuées"},
        },
    )


SUBVENTIONS_PAR_PAGE = 50
