"""The programme's key figures in the public API (those of the home page)."""

from django.http import HttpRequest
from ninja import Router
from ninja.decorators import decorate_view

from ti.api.cache import cache_public
from ti.api.schemas import Chiffres
from ti.pilotage.selectors import chiffres_cles, continuite_du_programme
from ti.referentiel.models import Millesime

router = Router(tags=["Chiffres clés"])


@router.get(
    "/chiffres",
    response=Chiffres,
    url_name="chiffres",
    operation_id="chiffres_cles",
    summary="Chiffres clés du programme",
)
@decorate_view(cache_public)
def chiffres(request: HttpRequest):
    """Les chiffres clés : territoires par phase et ce que couvrent leurs périmètres (communes, population, EPCI,
    départements, régions ; une commune de deux territoires compte une fois), avec le millésime du Code officiel
    géographique en vigueur, et la continuité du Temps I au Temps II. Recalculés après chaque modification des
    territoires ou du référentiel."""
    return {**chiffres_cles(), "continuite": continuite_du_programme(), "millesime_cog": Millesime.courant()}
