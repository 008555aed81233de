"""Errors of the API, in French and in one shape.

- 400 `{"detail": "...", "erreurs": [{"parametre": "...", "message": "..."}]}`: a parameter is malformed, out of range
  or names nothing known. django-ninja answers 422 with pydantic's English messages; we answer 400 in French, as the
  brief of the programme's API says, and keep the parameter's name so that a program can tell which one.
- 404 `{"detail": "..."}`: the identifier names nothing (or nothing the caller may see).
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError


class ParametreInvalide(Exception):
    """A well-formed parameter that the endpoint refuses: unknown région, malformed INSEE code…"""

    def __init__(self, parametre: str, message: str):
        self.parametre = parametre
        self.message = message
        super().__init__(message)


def _message(erreur: dict) -> str:
    """pydantic's error, said in French (the error types ninja's query and path parameters can raise)."""
    ctx = erreur.get("ctx") or {}
    match erreur.get("type"):
        case "missing":
            return "est obligatoire"
        case "int_parsing" | "int_type" | "int_from_float":
            return "doit être un nombre entier"
        case "greater_than_equal":
            return f"doit être supérieur ou égal à {ctx.get('ge')}"
        case "greater_than":
            return f"doit être supérieur à {ctx.get('gt')}"
        case "less_than_equal":
            return f"doit être inférieur ou égal à {ctx.get('le')}"
        case "less_than":
            return f"doit être inférieur à {ctx.get('lt')}"
        case "enum" | "literal_error":
            return "doit valoir " + str(ctx.get("expected", "")).replace(" or ", " ou ")
        case "string_too_long":
            return f"ne doit pas dépasser {ctx.get('max_length')} caractères"
        case "string_too_short":
            return f"doit compter au moins {ctx.get('min_length')} caractères"
        case "string_pattern_mismatch":
            return "n’a pas le format attendu"
        case "bool_parsing" | "bool_type":
            return "doit valoir true ou false"
        case "value_error":
            return str(ctx.get("error", "valeur invalide"))
    return "valeur invalide"


def _parametre(erreur: dict) -> str:
    """`["query", "phase"]` → `phase`: the source (query, path) is implied by the endpoint's documentation."""
    loc = [str(part) for part in erreur.get("loc", [])]
    return ".".join(loc[1:]) or (loc[0] if loc else "")


def _valeur_recue(request: HttpRequest, parametre: str) -> str | None:
    valeur = request.GET.get(parametre)
    if valeur is None and request.resolver_match:
        valeur = request.resolver_match.kwargs.get(parametre)
    return None if valeur is None else str(valeur)[:50]


def erreurs_francaises(request: HttpRequest, exc: ValidationError) -> list[dict]:
    erreurs = []
    for erreur in exc.errors:
        parametre = _parametre(erreur)
        message = _message(erreur)
        recu = _valeur_recue(request, parametre)
        if recu is not None and erreur.get("type") != "missing":
            message += f" (reçu « {recu} »)"
        erreurs.append({"parametre": parametre, "message": message})
    return erreurs


def _resume(erreurs: list[dict]) -> str:
    if len(erreurs) == 1:
        return f"Paramètre « {erreurs[0]['parametre']} » invalide : {erreurs[0]['message']}."
    details = " ; ".join(f"« {e['parametre']} » {e['message']}" for e in erreurs)
    return f"{len(erreurs)} paramètres invalides : {details}."


def installer(api: NinjaAPI) -> None:
    """Replace ninja's English 422 and 404 answers with ours."""

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        erreurs = erreurs_francaises(request, exc)
        return api.create_response(request, {"detail": _resume(erreurs), "erreurs": erreurs}, status=400)

    def parametre_invalide(request: HttpRequest, exc: ParametreInvalide) -> HttpResponse:
        erreurs = [{"parametre": exc.parametre, "message": exc.message}]
        return api.create_response(request, {"detail": exc.message, "erreurs": erreurs}, status=400)

    def introuvable(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Ressource introuvable."}, status=404)

    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(ParametreInvalide, parametre_invalide)
    api.add_exception_handler(Http404, introuvable)
