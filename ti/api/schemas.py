"""What the public API says: typed schemas, from which django-ninja writes the OpenAPI document.

Field names are French, as the domain; descriptions are what a reuser reads in /api/v1/docs.
No schema here carries a personal contact (e-mail, telephone) nor the partners' contacts: they are not public.
"""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema
from pydantic import field_validator

from ti.referentiel.models import CommuneRattachee, Epci
from ti.territoires.models import Phase, StatutChefProjet

LIMITE_PAR_DEFAUT = 20
LIMITE_MAX = 100
DECALAGE_MAX = 100_000  # beyond any real list, and keeps the SQL OFFSET inside a 64-bit integer


def fichier_csv(description: str) -> dict:
    """The `openapi_extra` of an endpoint that answers a CSV file: its 200 response, described."""
    return {"responses": {200: {"description": description, "content": {"text/csv": {"schema": {"type": "string"}}}}}}


def _absolue(context, chemin: str) -> str:
    return context["request"].build_absolute_uri(chemin)


# --- Errors ---------------------------------------------------------------------------------------------------------


class ErreurParametre(Schema):
    parametre: str = Field(description="Nom du paramètre en cause, par ex. « phase ».")
    message: str = Field(description="Ce qui ne va pas, en français.")


class ErreurRequete(Schema):
    """400: a parameter is malformed, out of range or names nothing known."""

    detail: str = Field(examples=["Région inconnue : 99"])
    erreurs: list[ErreurParametre]


class Introuvable(Schema):
    """404: the identifier names nothing."""

    detail: str = Field(examples=["Territoire introuvable : ti2-9999"])


# --- Référentiel -----------------------------------------------------------------------------------------------------


class RegionCourte(Schema):
    code: str = Field(description="Code INSEE de la région.", examples=["24"])
    nom: str = Field(examples=["Centre-Val de Loire"])


class DepartementCourt(Schema):
    code: str = Field(description="Code INSEE du département.", examples=["45"])
    nom: str = Field(examples=["Loiret"])
    region: str = Field(description="Code de sa région.", examples=["24"])

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class EpciCourt(Schema):
    siren: str = Field(examples=["200067759"])
    nom: str
    nature: Epci.Nature = Field(description="CC, CA, CU, METRO ou MET69.")
    nature_libelle: str
    population: int

    @staticmethod
    def resolve_nature_libelle(obj) -> str:
        return obj.get_nature_display()


# --- Territoires -----------------------------------------------------------------------------------------------------


class TerritoireResume(Schema):
    identifiant: str = Field(description="Identifiant stable sur la plateforme : « ti », la phase, le code.")
    code: str = Field(
        description="id_ti des fichiers de l’ANCT ; pour une liste sans id_ti (Temps II), code de la région de "
        "référence suivi d’un rang, gardé d’un import à l’autre."
    )
    phase: Phase = Field(description="1 : Temps I (2018-2022) ; 2 : Temps II (2023-2027).")
    nom: str
    regions: list[RegionCourte]
    nb_epci: int
    nb_communes: int
    population: int = Field(description="Population des communes du périmètre (COG).")
    chef_projet_statut: StatutChefProjet
    chef_projet_statut_libelle: str
    url: str = Field(description="Page du territoire sur la plateforme.")
    url_api: str = Field(description="Fiche détaillée du territoire dans l’API.")

    @staticmethod
    def resolve_chef_projet_statut_libelle(obj) -> str:
        return obj.get_chef_projet_statut_display()

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolue(context, obj.get_absolute_url())

    @staticmethod
    def resolve_url_api(obj, context) -> str:
        return _absolue(context, reverse("api:territoire", kwargs={"identifiant": obj.identifiant}))


class PageTerritoires(Schema):
    total: int = Field(description="Nombre de territoires qui répondent aux filtres, toutes pages confondues.")
    limit: int
    offset: int
    suivant: str | None = Field(description="Lien vers la page suivante ; null sur la dernière.")
    precedent: str | None = Field(description="Lien vers la page précédente ; null sur la première.")
    resultats: list[TerritoireResume]


class FiltresTerritoires(Schema):
    phase: Phase | None = Field(None, description="1 (Temps I) ou 2 (Temps II).")
    region: str | None = Field(None, max_length=3, description="Code INSEE d’une région, par ex. 24.")
    departement: str | None = Field(None, max_length=3, description="Code INSEE d’un département, par ex. 45 ou 2A.")
    chef_projet_statut: StatutChefProjet | None = Field(None, description="Statut du chef de projet.")
    q: str | None = Field(
        None,
        max_length=100,
        description="Nom du territoire ou d’une de ses communes ; casse et accents ignorés (« chateauroux »).",
    )
    limit: int = Field(LIMITE_PAR_DEFAUT, ge=1, le=LIMITE_MAX, description="Taille de la page (100 au plus).")
    offset: int = Field(0, ge=0, le=DECALAGE_MAX, description="Rang du premier résultat, à partir de 0.")

    @field_validator("phase", "region", "departement", "chef_projet_statut", "q", mode="before")
    @classmethod
    def vide_vaut_absent(cls, valeur):
        """`?phase=` (an empty select in a form) means no filter, not an error."""
        if isinstance(valeur, str) and not valeur.strip():
            return None
        return valeur.strip() if isinstance(valeur, str) else valeur


class CommuneDuPerimetre(Schema):
    code: str = Field(description="Code INSEE de la commune (COG en vigueur).")
    nom: str
    population: int
    code_source: str = Field(description="Code lu dans le fichier de l’ANCT.")
    via_chef_lieu: bool = Field(
        description="Vrai quand le fichier citait une commune déléguée ou associée, rattachée à son chef-lieu."
    )

    @staticmethod
    def resolve_code(obj) -> str:
        return obj.commune.code

    @staticmethod
    def resolve_nom(obj) -> str:
        return obj.commune.nom

    @staticmethod
    def resolve_population(obj) -> int:
        return obj.commune.population


class Gouvernance(Schema):
    binome_elu: str = Field(description="Élu référent du binôme.")
    binome_elu_mandat: str
    binome_industriel: str = Field(description="Industriel référent du binôme.")
    binome_industriel_entreprise: str
    chef_projet_statut: StatutChefProjet
    chef_projet_statut_libelle: str

    @staticmethod
    def resolve_chef_projet_statut_libelle(obj) -> str:
        return obj.get_chef_projet_statut_display()


class MissionSchema(Schema):
    type: str = Field(description="fabrique_prospective, choc_industriel ou rebond_industriel.")
    libelle: str
    annee: int
    description: str

    @staticmethod
    def resolve_libelle(obj) -> str:
        return obj.get_type_display()


class FiliationSchema(Schema):
    identifiant: str = Field(description="Identifiant du territoire de l’autre phase.")
    nom: str
    url_api: str
    communes: int = Field(description="Communes que les deux territoires ont en commun.")
    population: int = Field(description="Population de ces communes (COG).")
    part_population: float = Field(
        description="Part de la population du territoire décrit que représentent ces communes, entre 0 et 1."
    )


class TerritoireDetail(TerritoireResume):
    description: str
    departements: list[DepartementCourt]
    epcis: list[EpciCourt]
    communes: list[CommuneDuPerimetre]
    gouvernance: Gouvernance
    missions: list[MissionSchema]
    origines_temps1: list[FiliationSchema] = Field(
        description="Pour un territoire du Temps II : les territoires du Temps I qu’il poursuit (vide sinon)."
    )
    suites_temps2: list[FiliationSchema] = Field(
        description="Pour un territoire du Temps I : les territoires du Temps II qui le poursuivent (vide sinon)."
    )
    modifie_le: datetime

    @staticmethod
    def resolve_origines_temps1(obj, context):
        return [_filiation(context, f.temps1, f, obj) for f in obj.origines.all()]

    @staticmethod
    def resolve_suites_temps2(obj, context):
        return [_filiation(context, f.temps2, f, obj) for f in obj.suites.all()]

    @staticmethod
    def resolve_communes(obj):
        return obj.perimetre.all()

    @staticmethod
    def resolve_gouvernance(obj):
        return obj


# --- Communes --------------------------------------------------------------------------------------------------------


class CommuneSchema(Schema):
    code: str
    nom: str
    population: int
    departement: DepartementCourt
    region: RegionCourte
    epci: EpciCourt | None


class CommuneRattacheeSchema(Schema):
    code: str
    nom: str
    type: CommuneRattachee.Type
    type_libelle: str

    @staticmethod
    def resolve_type_libelle(obj) -> str:
        return obj.get_type_display()


class TerritoiresDeLaCommune(Schema):
    code_demande: str = Field(description="Le code INSEE demandé.")
    commune: CommuneSchema = Field(description="La commune actuelle (COG) que désigne ce code.")
    resolu_via_chef_lieu: bool = Field(
        description="Vrai quand le code demandé est celui d’une commune déléguée, associée ou d’un arrondissement "
        "municipal : la réponse porte alors sur sa commune chef-lieu."
    )
    commune_rattachee: CommuneRattacheeSchema | None = Field(
        description="La commune déléguée, associée ou l’arrondissement désigné par le code, le cas échéant."
    )
    territoires: list[TerritoireResume]


# --- Chiffres --------------------------------------------------------------------------------------------------------


class ChiffresPerimetre(Schema):
    communes: int
    population: int
    epci: int
    departements: int
    regions: int


class ChiffresPhase(ChiffresPerimetre):
    phase: Phase
    libelle: str
    territoires: int


class MillesimeSchema(Schema):
    annee: int = Field(examples=[2026])
    importe_le: datetime


class ContinuiteSchema(Schema):
    temps2: int
    temps2_heritiers: int = Field(description="Territoires du Temps II qui ont une commune d’un territoire du Temps I.")
    temps2_nouveaux: int = Field(description="Territoires du Temps II sans aucune commune d’un territoire du Temps I.")
    temps1: int
    temps1_poursuivis: int = Field(description="Territoires du Temps I dont une commune est dans le Temps II.")
    temps1_non_poursuivis: int = Field(description="Territoires du Temps I sans aucune commune dans le Temps II.")


class Chiffres(ChiffresPerimetre):
    territoires: int = Field(description="Territoires, toutes phases confondues.")
    phases: list[ChiffresPhase]
    continuite: ContinuiteSchema = Field(description="Du Temps I au Temps II, par les communes en commun.")
    millesime_cog: MillesimeSchema | None = Field(description="Millésime du Code officiel géographique en vigueur.")


def _filiation(context, autre, filiation, territoire) -> dict:
    return {
        "identifiant": autre.identifiant,
        "nom": autre.nom,
        "url_api": _absolue(context, reverse("api:territoire", kwargs={"identifiant": autre.identifiant})),
        "communes": filiation.communes,
        "population": filiation.population,
        "part_population": round(filiation.population / territoire.population, 4) if territoire.population else 0.0,
    }
