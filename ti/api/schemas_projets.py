"""What the API says of fiches-action (projets): filters, summary, detail.

The follow-up journal (notes de suivi), the documents and the referent's contacts are never part of it: like the
rest of the API, no schema carries a personal contact. (The CSV export in the national schema, which has columns for
them, writes the referent's contacts for a token whose scope covers the fiche's territory.)
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.urls import reverse
from ninja import Field, Schema
from pydantic import field_validator

from ti.api.schemas import DECALAGE_MAX, LIMITE_MAX, LIMITE_PAR_DEFAUT, RegionCourte
from ti.projets.models import Axe, PhaseProjet, StatutFinancement, StatutPhase, TypePorteur


def _absolue(context, chemin: str) -> str:
    return context["request"].build_absolute_uri(chemin)


def _enum(choix) -> dict:
    """Document the values of a repeatable filter; they are checked by the endpoint, with a French message."""
    return {"items": {"type": "string", "enum": list(choix.values)}}


class CriteresProjets(Schema):
    """The search's criteria, as on the platform's search page; every filter may be repeated (any of its values)."""

    q: str | None = Field(
        None,
        max_length=200,
        description="Mots cherchés dans le titre, la description, les objectifs, le porteur, les partenaires et la "
        "commune ; en français (« fonderie » trouve « fonderies »), accents et casse ignorés. Guillemets pour une "
        "expression exacte, `or` pour l’une ou l’autre.",
    )
    region: list[str] = Field([], description="Code INSEE d’une région, par ex. 24 ; répétable (l’une ou l’autre).")
    territoire: list[str] = Field([], description="Identifiant d’un territoire, par ex. ti2-2401 ; répétable.")
    axe: list[str] = Field(
        [], description="recruter, innover, attirer ou simplifier ; répétable.", json_schema_extra=_enum(Axe)
    )
    theme: list[str] = Field([], description="Code d’un thème, par ex. decarbonation ; répétable.")
    phase: list[str] = Field(
        [], description="idee, etude ou operation ; répétable.", json_schema_extra=_enum(PhaseProjet)
    )
    statut: list[str] = Field(
        [],
        description="Statut de la phase : en_cours, en_retard, en_pause, bloque, abandonne, termine ; répétable.",
        json_schema_extra=_enum(StatutPhase),
    )

    @field_validator("q", mode="before")
    @classmethod
    def texte_vide_vaut_absent(cls, valeur):
        if isinstance(valeur, str):
            return " ".join(valeur.split()) or None
        return valeur

    @field_validator("region", "territoire", "axe", "theme", "phase", "statut", mode="before")
    @classmethod
    def vides_ignores(cls, valeurs):
        """`?axe=` (an empty select in a form) means no filter, not an error."""
        if isinstance(valeurs, str):
            valeurs = [valeurs]
        if isinstance(valeurs, list):
            return [
                v.strip() if isinstance(v, str) else v for v in valeurs if not (isinstance(v, str) and not v.strip())
            ]
        return valeurs

    def criteres(self) -> dict:
        """The keyword arguments of `ti.projets.selectors.rechercher_projets`."""
        return {
            "q": self.q or "",
            "region": self.region,
            "territoire": [t.lower() for t in self.territoire],
            "axe": self.axe,
            "theme": self.theme,
            "phase": self.phase,
            "statut": self.statut,
        }


class FiltresProjets(CriteresProjets):
    limit: int = Field(LIMITE_PAR_DEFAUT, ge=1, le=LIMITE_MAX, description="Taille de la page (100 au plus).")
    offset: int = Field(0, ge=0, le=DECALAGE_MAX, description="Rang du premier résultat, à partir de 0.")


class JetonRefuseSchema(Schema):
    """401: the Authorization header names no active token."""

    detail: str = Field(examples=["Jeton d’API inconnu ou révoqué. Créez-en un dans « Mon espace » de la plateforme."])


class TerritoireDuProjet(Schema):
    identifiant: str = Field(examples=["ti2-2405"])
    nom: str
    url_api: str

    @staticmethod
    def resolve_url_api(obj, context) -> str:
        return _absolue(context, reverse("api:territoire", kwargs={"identifiant": obj.identifiant}))


class CommuneDuProjet(Schema):
    code: str = Field(description="Code INSEE (COG).", examples=["28134"])
    nom: str


class Libelle(Schema):
    code: str
    libelle: str


class ProjetResume(Schema):
    uuid: UUID = Field(description="Identifiant stable de la fiche-action, le même dans l’export au schéma national.")
    titre: str
    territoire: TerritoireDuProjet
    regions: list[RegionCourte] = Field(description="Régions du territoire.")
    commune: CommuneDuProjet | None = Field(description="Commune d’implantation, quand elle est connue.")
    axe: Axe
    axe_libelle: str
    themes: list[Libelle]
    phase: PhaseProjet
    phase_libelle: str
    phase_statut: StatutPhase
    phase_statut_libelle: str
    porteur_nom: str
    porteur_type: TypePorteur | None
    budget: Decimal | None = Field(description="En euros, avec les centimes (chaîne décimale).", examples=["250000.00"])
    date_debut: date | None
    date_fin: date | None
    public: bool = Field(description="Publiée dans l’annuaire public (toujours vrai sans jeton).")
    modifie_le: datetime
    url: str = Field(description="Page de la fiche sur la plateforme.")
    url_api: str

    @staticmethod
    def resolve_regions(obj):
        return obj.territoire.regions.all()

    @staticmethod
    def resolve_axe_libelle(obj) -> str:
        return obj.get_axe_display()

    @staticmethod
    def resolve_themes(obj):
        return [{"code": theme.code, "libelle": theme.libelle} for theme in obj.themes.all()]

    @staticmethod
    def resolve_phase_libelle(obj) -> str:
        return obj.get_phase_display()

    @staticmethod
    def resolve_phase_statut_libelle(obj) -> str:
        return obj.get_phase_statut_display()

    @staticmethod
    def resolve_porteur_type(obj):
        return obj.porteur_type or None

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolue(context, obj.get_absolute_url())

    @staticmethod
    def resolve_url_api(obj, context) -> str:
        return _absolue(context, reverse("api:projet", kwargs={"uuid": str(obj.uuid)}))


class PageProjets(Schema):
    total: int = Field(description="Nombre de fiches qui répondent aux critères, toutes pages confondues.")
    limit: int
    offset: int
    suivant: str | None = Field(description="Lien vers la page suivante ; null sur la dernière.")
    precedent: str | None = Field(description="Lien vers la page précédente ; null sur la première.")
    resultats: list[ProjetResume]


class LigneDeFinancement(Schema):
    financeur: str
    dispositif: str
    montant: Decimal
    statut: StatutFinancement
    statut_libelle: str

    @staticmethod
    def resolve_statut_libelle(obj) -> str:
        return obj.get_statut_display()


class Impact(Schema):
    emplois_crees: int | None
    emplois_maintenus: int | None
    investissement: Decimal | None = Field(description="En euros.")
    tco2e_evitees: Decimal | None = Field(description="Tonnes équivalent CO2 évitées par an.")
    hectares: Decimal | None = Field(description="Hectares recyclés ou économisés.")


class ProjetDetail(ProjetResume):
    description: str
    objectifs: str
    porteur_siret: str
    porteur_type_libelle: str
    organismes_partenaires: str = Field(description="Partenaires du projet, tels que la fiche les cite.")
    impact: Impact
    financements: list[LigneDeFinancement] = Field(description="Plan de financement.")
    competences: list[Libelle] = Field(description="Compétences (référentiel M57).")
    leviers: list[str] = Field(description="Leviers de la transition écologique (liste SGPE).")
    cree_le: datetime

    @staticmethod
    def resolve_porteur_type_libelle(obj) -> str:
        return obj.get_porteur_type_display()

    @staticmethod
    def resolve_organismes_partenaires(obj) -> str:
        return obj.partenaires

    @staticmethod
    def resolve_impact(obj):
        return obj

    @staticmethod
    def resolve_competences(obj):
        return [{"code": c.code, "libelle": c.libelle} for c in obj.competences.all()]

    @staticmethod
    def resolve_leviers(obj) -> list[str]:
        return [levier.libelle for levier in obj.leviers.all()]
