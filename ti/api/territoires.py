"""Territories and communes in the public API: list, detail, and « ma commune est-elle dans un territoire ? ».

Every list and fetch starts from `Territoire.objects.visible_to(request.user)` (through `territoires_filtres`), as the
permission layer requires; each endpoint makes a fixed number of SQL queries whatever the data size.
"""

import re

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view

from ti.api.cache import cache_public
from ti.api.erreurs import ParametreInvalide
from ti.api.pagination import paginer
from ti.api.schemas import (
    ErreurRequete,
    FiltresTerritoires,
    Introuvable,
    PageTerritoires,
    TerritoireDetail,
    TerritoiresDeLaCommune,
    fichier_csv,
)
from ti.core.exports import flux_csv
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Region
from ti.referentiel.selectors import resoudre_communes
from ti.territoires.models import CommuneTerritoire, Filiation, Phase, Territoire
from ti.territoires.selectors import territoires_filtres

router = Router(tags=["Territoires d’industrie"])

CODE_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.ASCII)


def _verifier_codes(filtres: FiltresTerritoires) -> None:
    """A filter on an unknown région or département is a mistake, not an empty list: say so."""
    if filtres.region and not Region.objects.filter(code=filtres.region).exists():
        raise ParametreInvalide("region", f"Région inconnue : {filtres.region}")
    if filtres.departement and not Departement.objects.filter(code=filtres.departement.upper()).exists():
        raise ParametreInvalide("departement", f"Département inconnu : {filtres.departement}")


@router.get(
    "/territoires",
    response={200: PageTerritoires, 400: ErreurRequete},
    url_name="territoires",
    operation_id="liste_territoires",
    summary="Liste des territoires d’industrie",
)
@decorate_view(cache_public)
def liste(request: HttpRequest, filtres: Query[FiltresTerritoires]):
    """Les territoires d’industrie, filtrés et paginés (`limit` et `offset`), triés par phase puis par nom.

    `q` cherche dans le nom du territoire et dans le nom de ses communes, sans tenir compte des accents ni de la casse.
    Un code de région ou de département inconnu est une erreur 400.
    """
    _verifier_codes(filtres)
    territoires = territoires_filtres(
        request.user,
        phase=filtres.phase,
        region=filtres.region,
        departement=filtres.departement.upper() if filtres.departement else None,
        statut=filtres.chef_projet_statut,
        q=filtres.q or "",
    )
    return paginer(request, territoires, limit=filtres.limit, offset=filtres.offset)


@router.get(
    "/territoires/{identifiant}",
    response={200: TerritoireDetail, 404: Introuvable},
    url_name="territoire",
    operation_id="fiche_territoire",
    summary="Fiche d’un territoire d’industrie",
)
@decorate_view(cache_public)
def detail(
    request: HttpRequest,
    identifiant: str = Path(..., description="Identifiant du territoire, par ex. ti2-2401."),
):
    """Un territoire avec son périmètre (EPCI, communes, départements, régions), sa gouvernance, ses missions et sa
    filiation entre les deux phases (communes en commun, part de la population).

    Les coordonnées personnelles (courriel, téléphone) et les contacts des partenaires ne sont pas publiés.
    """
    territoires = territoires_filtres(request.user).prefetch_related(
        Prefetch("epcis", queryset=Epci.objects.order_by("nom")),
        Prefetch("departements", queryset=Departement.objects.order_by("code")),
        Prefetch(
            "perimetre",
            queryset=CommuneTerritoire.objects.select_related("commune").order_by("commune__nom", "commune__code"),
        ),
        "missions",
        Prefetch("origines", queryset=Filiation.objects.select_related("temps1")),
        Prefetch("suites", queryset=Filiation.objects.select_related("temps2")),
    )
    territoire = territoires.filter(identifiant=identifiant).first()
    if territoire is None:
        raise Http404(f"Territoire introuvable : {identifiant}")
    return territoire


def _resoudre(code: str) -> tuple[Commune, CommuneRattachee | None]:
    """The commune actuelle a code names, by the référentiel's rule (`resoudre_communes`): itself, or the chef-lieu of
    a commune déléguée, associée or arrondissement municipal, which then comes along to say what the code was."""
    resolution = resoudre_communes([code])[code]
    if resolution.inconnue:
        raise Http404(f"Commune introuvable : {code}")
    commune = Commune.objects.select_related("departement", "region", "epci").get(pk=resolution.commune.pk)
    rattachee = None
    if resolution.via_chef_lieu:
        rattachee = CommuneRattachee.objects.filter(code=code, chef_lieu=commune).order_by("type").first()
    return commune, rattachee


@router.get(
    "/communes/{code_insee}/territoires",
    response={200: TerritoiresDeLaCommune, 400: ErreurRequete, 404: Introuvable},
    url_name="territoires_de_la_commune",
    operation_id="territoires_de_la_commune",
    summary="Territoires d’industrie d’une commune",
)
@decorate_view(cache_public)
def territoires_de_la_commune(
    request: HttpRequest,
    code_insee: str = Path(
        ..., description="Code INSEE de la commune, par ex. 36044 (5 caractères, 2A ou 2B en Corse)."
    ),
):
    """« Ma commune est-elle dans un territoire d’industrie ? » : les territoires dont le périmètre la comprend.

    Le code INSEE compte 5 caractères (chiffres, ou 2A / 2B suivis de 3 chiffres en Corse). Le code d’une commune
    déléguée, associée ou d’un arrondissement municipal est résolu par sa commune chef-lieu : la réponse le dit
    (`resolu_via_chef_lieu`). Une commune peut appartenir à plusieurs territoires, ou à aucun (liste vide).
    """
    code = code_insee.strip().upper()
    if not CODE_INSEE.match(code):
        raise ParametreInvalide(
            "code_insee",
            f"Code INSEE mal formé : « {code_insee[:20]} ». Un code commune compte 5 caractères : "
            "5 chiffres, ou 2A ou 2B suivis de 3 chiffres en Corse.",
        )
    commune, rattachee = _resoudre(code)
    territoires = territoires_filtres(request.user).filter(
        pk__in=CommuneTerritoire.objects.filter(commune=commune).values("territoire_id")
    )
    return {
        "code_demande": code,
        "commune": commune,
        "resolu_via_chef_lieu": rattachee is not None,
        "commune_rattachee": rattachee,
        "territoires": list(territoires),
    }


class FiltrePhase(Schema):
    phase: Phase | None = Field(None, description="1 (Temps I) ou 2 (Temps II) ; sans valeur, les deux phases.")


COLONNES_PERIMETRES = ["insee_com", "lib_com", "id_ti", "lib_ti", "phase", "identifiant", "siren_epci"]


@router.get(
    "/territoires.csv",
    response={200: None, 400: ErreurRequete},
    url_name="territoires_csv",
    operation_id="export_perimetres",
    summary="Fichier CSV des périmètres (commune → territoire)",
    openapi_extra=fichier_csv("Fichier CSV (UTF-8, séparateur virgule), une ligne par commune et par territoire."),
)
@decorate_view(cache_public)
def export_perimetres(request: HttpRequest, filtre: Query[FiltrePhase]):
    """Les communes de chaque territoire d’industrie, dans la disposition des fichiers de l’ANCT (`insee_com`,
    `lib_com`, `id_ti`, `lib_ti`), suivie de la phase, de l’identifiant du territoire sur la plateforme et du SIREN de
    l’EPCI de la commune. Codes du COG 2026 ; une commune de plusieurs territoires a une ligne par territoire."""
    phase = filtre.phase
    territoires = Territoire.objects.visible_to(request.user)
    if phase is not None:
        territoires = territoires.filter(phase=phase)
    lignes = (
        CommuneTerritoire.objects.filter(territoire__in=territoires)
        .order_by("territoire__phase", "territoire__code", "commune__code")
        .values_list(
            "commune__code",
            "commune__nom",
            "territoire__code",
            "territoire__nom",
            "territoire__phase",
            "territoire__identifiant",
            "commune__epci__siren",
        )
    )
    reponse = StreamingHttpResponse(
        flux_csv(COLONNES_PERIMETRES, lignes.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    nom = f"territoires-industrie-temps{phase}-communes.csv" if phase else "territoires-industrie-communes.csv"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse
