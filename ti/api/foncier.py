"""Sites clés en main in the public API: the catalogue (same filters as the search page), a site with its plots,
the figures of ready land, and the catalogue as the CNIG standard's CSV files.

Investors' requests are never exposed: they hold personal data and belong to the teams that answer them."""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from ti.api.cache import cache_public
from ti.api.financements import Pagination
from ti.api.pagination import paginer
from ti.api.schemas import ErreurRequete, Introuvable, fichier_csv
from ti.foncier import echange, selectors
from ti.foncier.models import Site, StatutSite, Terrain, Vague

router = Router(tags=["Sites clés en main"])


class FiltresSites(Pagination):
    surface_min: Decimal | None = Field(None, ge=0, description="Surface utile minimale, en hectares.")
    surface_max: Decimal | None = Field(None, ge=0, description="Surface utile maximale, en hectares.")
    region: str | None = Field(None, max_length=3, description="Code INSEE de la région, par ex. 24.")
    territoire: str | None = Field(None, max_length=20, description="Identifiant d’un territoire, par ex. ti2-2401.")
    disponible_sous_mois: int | None = Field(None, ge=0, le=120, description="Disponible d’ici ce nombre de mois.")
    rail: bool = Field(False, description="Avec embranchement ferroviaire.")
    port: bool = Field(False, description="Avec accès portuaire ou quai fluvial.")
    puissance_min: Decimal | None = Field(None, ge=0, description="Puissance électrique minimale, en MW.")
    vague: Vague | None = Field(None, description="Label : pack_rebond, france_2030, appel_ulterieur, aucune.")


class SiteResume(Schema):
    identifiant: str = Field(description="site_id du standard CNIG, par ex. 45208_SITE-ECO_00001.")
    nom: str
    commune: str = Field(alias="commune.nom")
    code_commune: str = Field(alias="commune_id")
    region: str = Field(alias="commune.region.nom")
    surface_brute: Decimal = Field(description="Hectares.")
    surface_utile: Decimal = Field(description="Hectares.")
    vague: Vague
    statut: StatutSite
    disponible_immediatement: bool
    disponible_le: date | None
    embranchement_fer: bool
    acces_portuaire: bool
    puissance_mw: Decimal | None
    longitude: float | None
    latitude: float | None


class TerrainSchema(Schema):
    identifiant: str = Field(description="terr_id du standard CNIG.")
    surface_brute: Decimal
    stade_amenagement: str
    stade_commercialisation: str
    etat_occupation: str
    cle_en_main: bool | None


class SiteDetail(SiteResume):
    epci: str = Field(alias="epci.nom")
    siren_epci: str = Field(alias="epci_id")
    description: str
    icpe_purgee: bool
    archeologie_purgee: bool
    inventaire_quatre_saisons: bool
    zonage_urbanisme: str
    conditions: str
    eau: bool
    tres_haut_debit: bool
    desserte_routiere: str
    proprietaire: str
    territoires: list[str] = Field(description="Identifiants des territoires d’industrie (deux phases) de la commune.")
    terrains: list[TerrainSchema]

    @staticmethod
    def resolve_territoires(site: Site) -> list[str]:
        return list(site.territoires().values_list("identifiant", flat=True))


class PageSites(Schema):
    total: int
    limit: int
    offset: int
    suivant: str | None
    precedent: str | None
    resultats: list[SiteResume]


class LigneChiffres(Schema):
    libelle: str
    n: int = Field(description="Nombre de sites.")
    ha: Decimal = Field(description="Surface utile cumulée, en hectares.")


class ChiffresSites(Schema):
    sites: int
    hectares: Decimal
    phrase: str = Field(examples=["55 lauréats France 2030, 3 342 ha"])
    vagues: list[LigneChiffres]
    statuts: list[LigneChiffres]
    regions: list[LigneChiffres]
    territoires: list[LigneChiffres]


def _criteres(filtres: FiltresSites) -> selectors.Criteres:
    champs = filtres.dict(exclude={"limit", "offset"})
    return selectors.Criteres(**champs)


@router.get(
    "/sites",
    response={200: PageSites, 400: ErreurRequete},
    url_name="sites",
    operation_id="liste_sites",
    summary="Sites clés en main",
)
@decorate_view(cache_public)
def liste(request: HttpRequest, filtres: Query[FiltresSites]):
    """Le catalogue des sites clés en main, avec les filtres de la page de recherche, trié par nom."""
    sites = selectors.rechercher(_criteres(filtres)).select_related("commune__region")
    return paginer(request, sites, limit=filtres.limit, offset=filtres.offset)


@router.get(
    "/sites/chiffres",
    response=ChiffresSites,
    url_name="sites_chiffres",
    operation_id="chiffres_sites",
    summary="Le foncier prêt en chiffres",
)
@decorate_view(cache_public)
def chiffres(request: HttpRequest):
    """Nombre de sites et hectares de surface utile, par label, statut, région et territoire."""
    donnees = selectors.chiffres()
    return {
        "sites": donnees["total"]["n"],
        "hectares": donnees["total"]["ha"],
        "phrase": selectors.phrase_laureats(),
        **{cle: donnees[cle] for cle in ("vagues", "statuts", "regions", "territoires")},
    }


CSV = fichier_csv("Fichier CSV (UTF-8, séparateur point-virgule), colonnes du standard CNIG.")


@router.get(
    "/sites/site-eco.csv",
    response={200: None},
    url_name="sites_csv",
    operation_id="export_site_eco",
    summary="Fichier site-eco (standard CNIG)",
    openapi_extra=CSV,
)
@decorate_view(cache_public)
def export_sites(request: HttpRequest):
    """Tout le catalogue au standard CNIG Sites économiques, classe SITE-ECO (v1.0.1)."""
    return echange.reponse_csv(echange.exporter_sites(Site.objects.all()), "site-eco.csv")


@router.get(
    "/sites/terrain-eco.csv",
    response={200: None},
    url_name="terrains_csv",
    operation_id="export_terrain_eco",
    summary="Fichier terrain-eco (standard CNIG)",
    openapi_extra=CSV,
)
@decorate_view(cache_public)
def export_terrains(request: HttpRequest):
    """Les terrains des sites du catalogue, classe TERRAIN-ECO (v1.0.1)."""
    return echange.reponse_csv(echange.exporter_terrains(Terrain.objects.all()), "terrain-eco.csv")


@router.get(
    "/sites/{identifiant}",
    response={200: SiteDetail, 404: Introuvable},
    url_name="site",
    operation_id="detail_site",
    summary="Un site clé en main",
)
@decorate_view(cache_public)
def detail(request: HttpRequest, identifiant: str):
    """Un site, ses terrains et ses territoires, par son identifiant du standard (site_id)."""
    site = (
        Site.objects.visible_to(request.user)
        .select_related("commune__region", "epci")
        .prefetch_related("terrains")
        .filter(identifiant=identifiant)
        .first()
    )
    if site is None:
        raise Http404(f"Site introuvable : {identifiant}")
    return site
