"""Engineering in the public API: the offer catalogue (same filters as the page) and the missions, without any
personal data (no consultant, no requester, no evaluation text: only what the State commissioned, where, for how
much)."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from ti.api.cache import cache_public
from ti.api.financements import Pagination
from ti.api.pagination import paginer
from ti.api.schemas import ErreurRequete
from ti.ingenierie.models import Mission, Nature, Offre, StatutMission, Theme, TypeMission
from ti.ingenierie.resultats import mobilise_par_mission

router = Router(tags=["Ingénierie"])
CENTIME = Decimal("0.01")


class FiltresOffres(Pagination):
    q: str | None = Field(None, max_length=100, description="Mots-clés cherchés dans le titre, le texte, l’organisme.")
    theme: Theme | None = Field(None, description="innovation, transition_ecologique, foncier, competences…")
    organisme: str | None = Field(None, max_length=100, description="Par ex. ANCT, Cerema, Bpifrance.")


class OffreSchema(Schema):
    id: int
    organisme: str
    titre: str
    theme: Theme
    nature: Nature
    description: str
    beneficiaires: str = Field(description="Qui peut demander.")
    modalites: str = Field(description="Comment demander.")
    duree: str
    cout: str = Field(description="Coût pour le territoire.")


class PageOffres(Schema):
    total: int
    limit: int
    offset: int
    suivant: str | None
    precedent: str | None
    resultats: list[OffreSchema]


class FiltresMissions(Pagination):
    region: str | None = Field(None, max_length=3, description="Code INSEE de la région, par ex. 24.")
    type: TypeMission | None = Field(None, description="choc_industriel, rebond_industriel, sur_mesure, expertise.")


class MissionSchema(Schema):
    id: int
    territoire: str = Field(alias="territoire.identifiant", description="Identifiant du territoire, par ex. ti2-2401.")
    nom_territoire: str = Field(alias="territoire.nom")
    type: TypeMission
    intitule: str
    annee: int = Field(description="Année de lancement.")
    cabinet: str
    montant_ht: Decimal = Field(description="Montant du bon de commande, en euros hors taxes.")
    jours_prevus: Decimal
    jours_consommes: Decimal
    statut: StatutMission
    financements_obtenus: Decimal = Field(
        description="Financements obtenus par les fiches-action rattachées à la mission, en euros : lignes acquises "
        "des plans de financement et dossiers Fonds vert décidés (décision 0045).",
    )

    @staticmethod
    def resolve_financements_obtenus(mission) -> Decimal:
        return Decimal(mission.mobilise).quantize(CENTIME)  # SQLite's sums drop the cents' zeros


class PageMissions(Schema):
    total: int
    limit: int
    offset: int
    suivant: str | None
    precedent: str | None
    resultats: list[MissionSchema]


@router.get(
    "/ingenierie/offres",
    response={200: PageOffres, 400: ErreurRequete},
    url_name="offres_ingenierie",
    operation_id="liste_offres_ingenierie",
    summary="Offre d’ingénierie",
)
@decorate_view(cache_public)
def offres(request: HttpRequest, filtres: Query[FiltresOffres]):
    """Les offres de l’ANCT et des opérateurs mobilisables par les territoires d’industrie."""
    lignes = Offre.objects.filter(active=True)
    if filtres.q:
        lignes = lignes.recherche(filtres.q)
    if filtres.theme:
        lignes = lignes.filter(theme=filtres.theme)
    if filtres.organisme:
        lignes = lignes.filter(organisme__iexact=filtres.organisme)
    return paginer(request, lignes, limit=filtres.limit, offset=filtres.offset)


@router.get(
    "/ingenierie/missions",
    response={200: PageMissions, 400: ErreurRequete},
    url_name="missions_ingenierie",
    operation_id="liste_missions_ingenierie",
    summary="Missions d’ingénierie",
)
@decorate_view(cache_public)
def missions(request: HttpRequest, filtres: Query[FiltresMissions]):
    """Les missions commandées aux cabinets de conseil (hors missions annulées), les plus récentes d’abord."""
    lignes = (
        Mission.objects.exclude(statut=StatutMission.ANNULEE)
        .select_related("territoire")
        .annotate(mobilise=mobilise_par_mission())
    )
    if filtres.region:
        lignes = lignes.filter(territoire__regions=filtres.region)
    if filtres.type:
        lignes = lignes.filter(type=filtres.type)
    return paginer(request, lignes, limit=filtres.limit, offset=filtres.offset)
