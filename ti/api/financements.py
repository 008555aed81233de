"""Awarded Fonds vert grants in the API, in the national SCDL Subventions 2.1.1 format (public open data).

Both endpoints read `scdl.subventions_attribuees()`: the JSON list page by page (2 queries), the CSV streamed in
batches with the schema's column names, ready for `frictionless validate --schema schema.json`.
"""

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from ti.api.cache import cache_public
from ti.api.pagination import paginer
from ti.api.schemas import DECALAGE_MAX, LIMITE_MAX, LIMITE_PAR_DEFAUT, ErreurRequete, fichier_csv
from ti.financements import scdl

router = Router(tags=["Subventions attribuées (SCDL)"])


class Subvention(Schema):
    nomAttribuant: str
    idAttribuant: str = Field(description="SIRET de l’attribuant.")
    dateConvention: str = Field(description="AAAA-MM-JJ.")
    referenceDecision: str = Field(description="Référence du dossier sur la plateforme.")
    nomBeneficiaire: str
    idBeneficiaire: str | None = Field(description="SIRET du bénéficiaire.")
    rnaBeneficiaire: str | None
    objet: str
    montant: float = Field(description="Montant engagé par la convention, en euros.")
    nature: str
    conditionsVersement: str
    datesPeriodeVersement: str = Field(description="Date unique AAAA-MM-JJ ou période AAAA-MM-JJ/AAAA-MM-JJ.")
    idRAE: str | None
    notificationUE: bool
    pourcentageSubvention: float
    dispositifAide: str


class PageSubventions(Schema):
    total: int = Field(description="Nombre de subventions attribuées, toutes pages confondues.")
    limit: int
    offset: int
    suivant: str | None = Field(description="Lien vers la page suivante ; null sur la dernière.")
    precedent: str | None = Field(description="Lien vers la page précédente ; null sur la première.")
    resultats: list[Subvention]


class Pagination(Schema):
    limit: int = Field(LIMITE_PAR_DEFAUT, ge=1, le=LIMITE_MAX, description="Taille de la page (100 au plus).")
    offset: int = Field(0, ge=0, le=DECALAGE_MAX, description="Rang du premier résultat, à partir de 0.")


def en_json(ligne: dict[str, str]) -> dict:
    """The CSV row with JSON types: numbers, a boolean, null for an empty optional value."""
    valeurs = {colonne: (valeur or None) for colonne, valeur in ligne.items()}
    valeurs["montant"] = float(ligne["montant"])
    valeurs["pourcentageSubvention"] = float(ligne["pourcentageSubvention"])
    valeurs["notificationUE"] = ligne["notificationUE"] == "oui"
    return valeurs


@router.get(
    "/subventions",
    response={200: PageSubventions, 400: ErreurRequete},
    url_name="subventions",
    operation_id="liste_subventions",
    summary="Subventions attribuées (SCDL Subventions 2.1.1)",
)
@decorate_view(cache_public)
def liste(request: HttpRequest, pagination: Query[Pagination]):
    """Les subventions du Fonds vert « Territoires d’industrie » dont la convention est signée (dossiers engagés
    ou soldés), une par dossier, les plus anciennes conventions d’abord, avec les champs du format SCDL Subventions
    2.1.1. Paginées par `limit` et `offset`.
    """
    page = paginer(request, scdl.subventions_attribuees(), limit=pagination.limit, offset=pagination.offset)
    page["resultats"] = [en_json(scdl.ligne(dossier)) for dossier in page["resultats"]]
    return page


@router.get(
    "/subventions.csv",
    response={200: None},
    url_name="subventions_csv",
    operation_id="export_subventions",
    summary="Fichier CSV des subventions attribuées (SCDL Subventions 2.1.1)",
    openapi_extra=fichier_csv("Fichier CSV (UTF-8, séparateur virgule), colonnes du schéma SCDL Subventions 2.1.1."),
)
@decorate_view(cache_public)
def export(request: HttpRequest):
    """Toutes les subventions attribuées, au format SCDL Subventions 2.1.1 (schema.data.gouv.fr, scdl/subventions),
    prêt à valider avec `frictionless validate --schema schema.json`."""
    reponse = StreamingHttpResponse(
        scdl.lignes_csv(scdl.subventions_attribuees()), content_type="text/csv; charset=utf-8"
    )
    reponse["Content-Disposition"] = f'attachment; filename="{scdl.NOM_DE_FICHIER}"'
    return reponse
