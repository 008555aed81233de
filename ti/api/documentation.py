"""The API documentation in French, inside the site's layout, read from the OpenAPI document at request time.

The OpenAPI document that django-ninja builds from the code stays the reference (`/api/v1/openapi.json`): this
module only turns it into readable pages — operations grouped by tag, their parameters, their response fields and
an example response built from the response schema. Nothing is written by hand, so the page cannot drift from the
API. The document depends on the code only: it is read once per process.
"""

import json
import re
from functools import cache
from http import HTTPStatus

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LIEUX = {"path": "chemin", "query": "requête", "header": "en-tête", "cookie": "cookie"}
STATUTS = {
    200: "Succès",
    201: "Créé",
    400: "Paramètre invalide",
    401: "Jeton refusé",
    403: "Accès refusé",
    404: "Introuvable",
    413: "Fichier trop volumineux",
    415: "Type de fichier non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
}
TYPES = {
    "string": "texte",
    "integer": "entier",
    "number": "nombre",
    "boolean": "booléen",
    "array": "liste",
    "object": "objet",
    "null": "null",
}
FORMATS = {"date": "date (AAAA-MM-JJ)", "date-time": "date et heure (ISO 8601)", "uuid": "UUID", "binary": "fichier"}
PROFONDEUR_MAX = 6  # of an example: enough for every schema of the API, and a guard against recursive schemas


def texte_en_html(texte: str) -> SafeString:
    """The small Markdown the API's descriptions use: paragraphs, « - » lists, `code` and **bold**, escaped first."""
    blocs = []
    for bloc in re.split(r"\n\s*\n", (texte or "").strip()):
        lignes = bloc.splitlines()
        if lignes and all(ligne.lstrip().startswith("- ") or ligne.startswith("  ") for ligne in lignes):
            elements = []
            for ligne in lignes:
                if ligne.lstrip().startswith("- ") or not elements:
                    elements.append(ligne.lstrip().removeprefix("- "))
                else:
                    elements[-1] += " " + ligne.strip()
            blocs.append("<ul>" + "".join(f"<li>{_en_ligne(e)}</li>" for e in elements) + "</ul>")
        elif bloc:
            blocs.append(f"<p>{_en_ligne(' '.join(ligne.strip() for ligne in lignes))}</p>")
    return mark_safe("".join(blocs))  # every piece of text went through escape() in _en_ligne


def _en_ligne(texte: str) -> str:
    texte = escape(texte)
    texte = re.sub(r"`([^`]+)`", r"<code>\1</code>", texte)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", texte)


class _Lecteur:
    def __init__(self, document: dict):
        self.schemas = document.get("components", {}).get("schemas", {})

    def resoudre(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = {
                **self.schemas[schema["$ref"].rsplit("/", 1)[-1]],
                **{k: v for k, v in schema.items() if k != "$ref"},
            }
        return schema

    def sans_null(self, schema: dict) -> tuple[dict, bool]:
        """The schema without its « or null » alternative, and whether null was allowed."""
        schema = self.resoudre(schema)
        variantes = schema.get("anyOf")
        if variantes:
            non_nulles = [v for v in variantes if v.get("type") != "null"]
            if len(non_nulles) == 1:
                return {**self.resoudre(non_nulles[0]), **{k: v for k, v in schema.items() if k != "anyOf"}}, True
        return schema, False

    def type_lisible(self, schema: dict) -> str:
        schema, nullable = self.sans_null(schema)
        if "enum" in schema:
            lisible = "une valeur parmi " + ", ".join(f"«\u00a0{valeur}\u00a0»" for valeur in schema["enum"])
        elif schema.get("type") == "array":
            lisible = f"liste ({self.type_lisible(schema.get('items', {}))})"
        elif schema.get("format") in FORMATS:
            lisible = FORMATS[schema["format"]]
        else:
            lisible = TYPES.get(schema.get("type"), "valeur")
        bornes = []
        if "minimum" in schema:
            bornes.append(f"au moins {schema['minimum']}")
        if "maximum" in schema:
            bornes.append(f"au plus {schema['maximum']}")
        if "maxLength" in schema:
            bornes.append(f"{schema['maxLength']} caractères au plus")
        if bornes:
            lisible += " (" + ", ".join(bornes) + ")"
        return lisible + (", ou null" if nullable else "")

    def exemple(self, schema: dict, profondeur: int = 0):
        schema, nullable = self.sans_null(schema)
        if profondeur > PROFONDEUR_MAX:
            return None
        if schema.get("examples"):  # pydantic's Field(examples=[…])
            return schema["examples"][0]
        for cle in ("example", "default"):
            if cle in schema and schema[cle] not in ("", None):
                return schema[cle]
        if "enum" in schema:
            return schema["enum"][0]
        type_ = schema.get("type")
        if type_ == "object" or "properties" in schema:
            return {nom: self.exemple(sous, profondeur + 1) for nom, sous in schema.get("properties", {}).items()}
        if type_ == "array":
            return [self.exemple(schema.get("items", {}), profondeur + 1)]
        if type_ == "integer":
            return schema.get("minimum", 0)
        if type_ == "number":
            return 0.0
        if type_ == "boolean":
            return True
        if type_ == "string":
            return {"date": "2026-01-31", "date-time": "2026-01-31T09:30:00+01:00"}.get(schema.get("format"), "texte")
        return None

    def champs(self, schema: dict, prefixe: str = "", profondeur: int = 0) -> list[dict]:
        """The fields of a response, nested lists and objects one level down (`resultats[].nom`)."""
        schema, _ = self.sans_null(schema)
        if schema.get("type") == "array":
            return self.champs(schema.get("items", {}), f"{prefixe}[]", profondeur)
        requis = set(schema.get("required", []))
        lignes = []
        for nom, sous in schema.get("properties", {}).items():
            chemin = f"{prefixe}.{nom}" if prefixe else nom
            lignes.append(
                {
                    "nom": chemin,
                    "type": self.type_lisible(sous),
                    "description": sous.get("description") or self.sans_null(sous)[0].get("description", ""),
                    "toujours": nom in requis,
                }
            )
            if profondeur < 1:
                lignes += self.champs(sous, chemin, profondeur + 1)
        return lignes


def _parametre(lecteur: _Lecteur, parametre: dict) -> dict:
    schema, _ = lecteur.sans_null(parametre.get("schema", {}))
    return {
        "nom": parametre["name"],
        "lieu": LIEUX.get(parametre.get("in"), parametre.get("in")),
        "obligatoire": parametre.get("required", False),
        "type": lecteur.type_lisible(parametre.get("schema", {})),
        "description": parametre.get("description") or schema.get("description", ""),
        "defaut": schema.get("default", ""),
    }


def _corps(lecteur: _Lecteur, corps: dict | None) -> list[dict]:
    if not corps:
        return []
    lignes = []
    for type_contenu, contenu in corps.get("content", {}).items():
        schema = lecteur.resoudre(contenu.get("schema", {}))
        requis = set(schema.get("required", []))
        for nom, sous in schema.get("properties", {}).items():
            lignes.append(
                {
                    "nom": nom,
                    "type": lecteur.type_lisible(sous),
                    "obligatoire": nom in requis,
                    "description": sous.get("description", ""),
                    "format": type_contenu,
                }
            )
    return lignes


def _reponse(lecteur: _Lecteur, code: str, reponse: dict) -> dict:
    statut = int(code)
    description = reponse.get("description", "")
    if description == HTTPStatus(statut).phrase:  # ninja's default, in English
        description = ""
    contenus = reponse.get("content", {})
    json_ = contenus.get("application/json")
    return {
        "code": statut,
        "libelle": STATUTS.get(statut, HTTPStatus(statut).phrase),
        "description": description,
        "types": list(contenus),
        "exemple": json.dumps(lecteur.exemple(json_["schema"]), ensure_ascii=False, indent=2) if json_ else "",
        "champs": lecteur.champs(json_["schema"]) if json_ and statut < 300 else [],
    }


def lire(document: dict) -> dict:
    """The document as the template shows it: titre, version, description, groupes (nom, operations)."""
    lecteur = _Lecteur(document)
    groupes: dict[str, list[dict]] = {}
    for chemin, methodes in document.get("paths", {}).items():
        for methode, operation in methodes.items():
            identifiant = operation.get("operationId") or f"{methode}-{chemin}"
            groupes.setdefault((operation.get("tags") or ["Autres"])[0], []).append(
                {
                    "id": re.sub(r"[^a-zA-Z0-9_-]", "-", identifiant),
                    "methode": methode.upper(),
                    "chemin": chemin,
                    "resume": operation.get("summary", ""),
                    "description": texte_en_html(operation.get("description", "")),
                    "jeton": bool(operation.get("security")),
                    "parametres": [_parametre(lecteur, p) for p in operation.get("parameters", [])],
                    "corps": _corps(lecteur, operation.get("requestBody")),
                    "reponses": [
                        _reponse(lecteur, code, r)
                        for code, r in sorted(operation.get("responses", {}).items(), key=lambda c: int(c[0]))
                    ],
                }
            )
    info = document.get("info", {})
    return {
        "titre": info.get("title", ""),
        "version": info.get("version", ""),
        "description": texte_en_html(info.get("description", "")),
        "groupes": [{"nom": nom, "operations": operations} for nom, operations in groupes.items()],
    }


@cache
def documentation() -> dict:
    from ti.api.urls import api  # the routes import this module's view

    return lire(api.get_openapi_schema())
