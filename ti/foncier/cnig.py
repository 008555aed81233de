"""The CNIG « sites économiques » standard (v1.0.1): its Table Schemas as shipped in data/standards, the checks
they declare (written here so that production needs no frictionless), and how its columns map onto our models.

Decision 0042 says which columns are typed fields and why; the others are kept as read in `complements`."""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from django.conf import settings

DOSSIER = settings.DONNEES_DIR / "standards" / "sites-economiques"
CLASSES = ("site-eco", "terrain-eco")


@cache
def schema(classe: str) -> dict:
    return json.loads((DOSSIER / f"{classe}.schema.json").read_text(encoding="utf-8"))


def colonnes(classe: str) -> list[str]:
    return [champ["name"] for champ in schema(classe)["fields"]]


class ValeurInvalide(ValueError):
    """A cell the schema refuses; the message is the report's, in French."""


def _nombre(texte: str) -> Decimal:
    try:
        valeur = Decimal(texte)
    except InvalidOperation:
        raise ValeurInvalide(f"« {texte} » n’est pas un nombre (séparateur décimal : le point).") from None
    if not valeur.is_finite():
        raise ValeurInvalide(f"« {texte} » n’est pas un nombre.")
    return valeur


def _date(texte: str, format: str) -> date:
    try:
        return datetime.strptime(texte, format).date()
    except ValueError:
        exemple = "2016-03-26" if format == "%Y-%m-%d" else "2015"
        raise ValeurInvalide(f"« {texte} » n’est pas une date au format attendu ({exemple}).") from None


def _geojson(texte: str) -> dict:
    try:
        valeur = json.loads(texte)
    except ValueError:
        raise ValeurInvalide("géométrie illisible : un objet GeoJSON est attendu.") from None
    if not isinstance(valeur, dict) or "type" not in valeur:
        raise ValeurInvalide("géométrie illisible : un objet GeoJSON avec son « type » est attendu.")
    return valeur


def _point(texte: str) -> tuple[float, float]:
    """Table Schema's default geopoint: « longitude, latitude »."""
    try:
        longitude, latitude = (float(partie) for partie in texte.split(","))
    except ValueError:
        raise ValeurInvalide(f"« {texte} » : un point « longitude, latitude » est attendu.") from None
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValeurInvalide(f"« {texte} » : longitude ou latitude hors limites.")
    return longitude, latitude


def verifier_cellule(champ: dict, texte: str):
    """The cell's value, typed, or None when missing; raises ValeurInvalide as the schema would."""
    contraintes = champ.get("constraints", {})
    if texte in schema_manquants():
        if contraintes.get("required"):
            raise ValeurInvalide("valeur obligatoire manquante.")
        return None
    if "enum" in contraintes and texte not in contraintes["enum"]:
        raise ValeurInvalide(f"« {texte} » : valeurs admises {', '.join(contraintes['enum'])}.")
    if "pattern" in contraintes and not re.fullmatch(contraintes["pattern"], texte):
        raise ValeurInvalide(f"« {texte} » n’a pas la forme attendue.")
    type_ = champ.get("type", "string")
    if type_ == "number":
        return _nombre(texte)
    if type_ == "date":
        return _date(texte, champ.get("format", "%Y-%m-%d"))
    if type_ == "geojson":
        _geojson(texte)
    if type_ == "geopoint":
        return _point(texte)
    return texte


@cache
def schema_manquants() -> frozenset[str]:
    return frozenset(schema("site-eco").get("missingValues", [""]))


# Identifiers as the standard builds them: INSEE code of the commune, class, five-digit number.
FORME_IDENTIFIANT = {
    "site_id": re.compile(r"[0-9][0-9AB][0-9]{3}_SITE-ECO_[0-9]{5}"),
    "terr_id": re.compile(r"[0-9][0-9AB][0-9]{3}_TERRAIN-ECO_[0-9]{5}"),
    "pole_id": re.compile(r"[0-9][0-9AB][0-9]{3}_POLE-ECO_[0-9]{5}"),
}
EXEMPLE_IDENTIFIANT = {
    "site_id": "80024_SITE-ECO_00001",
    "terr_id": "80024_TERRAIN-ECO_00131",
    "pole_id": "80024_POLE-ECO_00162",
}


def verifier_identifiant(colonne: str, texte: str) -> None:
    if not FORME_IDENTIFIANT[colonne].fullmatch(texte):
        raise ValeurInvalide(
            f"« {texte} » n’est pas un identifiant du standard (par exemple {EXEMPLE_IDENTIFIANT[colonne]})."
        )


@dataclass(frozen=True)
class Colonne:
    """A column of the standard held by a typed field: « texte », « nombre », « date », « ouinon »."""

    champ: str
    genre: str = "texte"


# Columns held by typed fields; commune, EPCI and the point are read apart (référentiel, two fields).
COLONNES_SITE = {
    "site_id": Colonne("identifiant"),
    "pole_id": Colonne("pole_id"),
    "site_nom": Colonne("nom"),
    "site_type": Colonne("type_site"),
    "site_vocadomi": Colonne("vocation"),
    "site_etat": Colonne("etat"),
    "site_surf_brute": Colonne("surface_brute", "nombre"),
    "site_surf_utile": Colonne("surface_utile", "nombre"),
    "site_surf_comm_dispo": Colonne("surface_disponible", "nombre"),
    "site_identif_date": Colonne("date_identification", "date"),
    "site_actu_date": Colonne("date_actualisation", "date"),
    "site_description": Colonne("description"),
    "site_url": Colonne("url"),
    "site_moa_type": Colonne("moa_type"),
    "site_moa_nom": Colonne("proprietaire"),
    "reseau_eau_potable": Colonne("eau", "ouinon"),
    "reseau_fibre_optique": Colonne("tres_haut_debit", "ouinon"),
    "reseau_fret_ferroviaire": Colonne("embranchement_fer", "ouinon"),
    "reseau_fluvial": Colonne("acces_portuaire", "ouinon"),
    "desserte_route_nom": Colonne("desserte_routiere"),
}
COLONNES_TERRAIN = {
    "terr_id": Colonne("identifiant"),
    "terr_refcad": Colonne("references_cadastrales"),
    "terr_surf_brute": Colonne("surface_brute", "nombre"),
    "terr_identif_date": Colonne("date_identification", "date"),
    "terr_actu_date": Colonne("date_actualisation", "date"),
    "terr_maitrise_fonc": Colonne("maitrise_fonciere"),
    "terr_stade_amngt": Colonne("stade_amenagement"),
    "terr_stade_comm": Colonne("stade_commercialisation"),
    "terr_etat_occup": Colonne("etat_occupation"),
    "terr_usage": Colonne("usage"),
    "terr_cle_en_main": Colonne("cle_en_main", "ouinon"),
}
# Read apart: the site's commune and EPCI (référentiel), its point (two fields), a plot's site.
COLONNES_A_PART = {"site_comm_insee", "site_epci_siren", "site_geompoint", "site_id"}


def valeur_champ(colonne: Colonne, valeur, vide_vaut_non: bool):
    """The typed value of a column for its model field. A missing oui/non cell is « non » when `vide_vaut_non`
    (the site's fields are not nullable, decision 0042), else None."""
    if colonne.genre == "ouinon":
        if valeur is None:
            return None if not vide_vaut_non else False
        return valeur == "oui"
    if valeur is None:
        return "" if colonne.genre == "texte" else None
    return valeur


def texte_de(valeur) -> str:
    """A field's value written as the standard writes it."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return format(valeur.normalize(), "f")
    if isinstance(valeur, date):
        return valeur.isoformat()
    return str(valeur)
