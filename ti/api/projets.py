"""Fiches-action (projets) in the API: list with the search's criteria, detail, and the export in the national
« projets de collectivités » schema.

Who sees what: without a token, the published fiches only (the session cookie of a logged-in visitor is ignored,
so that a public answer may be cached by anyone); with `Authorization: Bearer <clé>` of an active token, everything
in its holder's scope (`Projet.objects.visible_to(holder)`). An unknown or revoked token, or a malformed header, is
a 401 in French — never a silent fall back to the public view, which would hide the caller's mistake.
The follow-up journal, the documents and the referent's contacts are never in the JSON answers.
Each endpoint makes a fixed number of SQL queries.
"""

import uuid
from functools import wraps

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from ninja import NinjaAPI, Path, Query, Router
from ninja.decorators import decorate_view
from ninja.security import HttpBearer

from ti.api.cache import DUREE_CACHE
from ti.api.erreurs import ParametreInvalide
from ti.api.pagination import paginer
from ti.api.schemas import ErreurRequete, Introuvable, fichier_csv
from ti.api.schemas_projets import CriteresProjets, FiltresProjets, JetonRefuseSchema, PageProjets, ProjetDetail
from ti.comptes import jetons
from ti.projets import export_schema, selectors, selectors_filtres
from ti.projets.models import Competence, Levier, LigneFinancement, Theme

router = Router(tags=["Projets (fiches-action)"])


# --- Who calls -------------------------------------------------------------------------------------------------------


class JetonRefuse(Exception):
    """401: the Authorization header is there but names no active token."""


class JetonFacultatif(HttpBearer):
    """No header: the public (published fiches). `Bearer <clé>` of an active token: its holder. Anything else: 401."""

    def __call__(self, request: HttpRequest):
        entete = request.headers.get("Authorization")
        if not entete:
            return selectors.PUBLIC
        schema, _, cle = entete.strip().partition(" ")
        if schema.lower() != "bearer" or not cle.strip():
            raise JetonRefuse("En-tête Authorization mal formé : attendu « Bearer <clé du jeton> ».")
        return self.authenticate(request, cle.strip())

    def authenticate(self, request: HttpRequest, token: str):
        titulaire = jetons.titulaire(token)
        if titulaire is None:
            raise JetonRefuse("Jeton d’API inconnu ou révoqué. Créez-en un dans « Mon espace » de la plateforme.")
        return titulaire


def appelant(request: HttpRequest):
    return request.auth


def cache_selon_appelant(operation_run):
    """Public answers are the same for every caller without a token: cacheable a few minutes (and keyed on the
    Authorization header). Answers to a token depend on its holder's scope: never stored."""

    @wraps(operation_run)
    def run(request, *args, **kwargs):
        response = operation_run(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        if "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code == 200:
            patch_cache_control(response, public=True, max_age=DUREE_CACHE)
        return response

    return run


def installer(api: NinjaAPI) -> None:
    """Mount the router and answer a refused token with a French 401."""

    def jeton_refuse(request: HttpRequest, exc: JetonRefuse):
        reponse = api.create_response(request, {"detail": str(exc)}, status=401)
        reponse["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
        reponse["Cache-Control"] = "no-store"
        return reponse

    api.add_exception_handler(JetonRefuse, jeton_refuse)
    api.add_router("", router)


# --- Criteria --------------------------------------------------------------------------------------------------------


LIBELLES_DES_FILTRES = {
    "region": "Région inconnue",
    "territoire": "Territoire inconnu",
    "axe": "Axe inconnu",
    "theme": "Thème inconnu",
    "phase": "Phase inconnue",
    "statut": "Statut de phase inconnu",
}


def _verifier(criteres: dict) -> None:
    """A filter on a value that names nothing is a mistake to report, not an empty list (one query per table used)."""
    for nom, message in LIBELLES_DES_FILTRES.items():
        inconnues = selectors_filtres.valeurs_inconnues(nom, criteres[nom])
        if inconnues:
            raise ParametreInvalide(nom, f"{message} : {', '.join(v[:50] for v in inconnues)}")


# --- Endpoints -------------------------------------------------------------------------------------------------------


@router.get(
    "/projets",
    response={200: PageProjets, 400: ErreurRequete, 401: JetonRefuseSchema},
    auth=JetonFacultatif(),
    url_name="projets",
    operation_id="liste_projets",
    summary="Recherche de fiches-action",
)
@decorate_view(cache_selon_appelant)
def liste(request: HttpRequest, filtres: Query[FiltresProjets]):
    """Les fiches-action, filtrées et paginées (`limit` et `offset`) : les plus pertinentes d’abord quand `q` est
    donné, sinon les plus récemment modifiées.

    Sans jeton : les fiches publiées par les territoires. Avec l’en-tête `Authorization: Bearer <clé>` d’un jeton
    créé dans « Mon espace » : toutes les fiches du périmètre de son titulaire, publiées ou non (et les fiches
    publiées des autres territoires). Un jeton inconnu ou révoqué est une erreur 401.
    Un code de région, de territoire ou de thème inconnu est une erreur 400.
    """
    criteres = filtres.criteres()
    _verifier(criteres)
    user = appelant(request)
    projets = selectors.Classement(user, prefetch=["territoire__regions"], **criteres)
    total = selectors.nombre(user, **criteres)  # cached: counting every fiche that matches is the costly part
    return paginer(request, projets, limit=filtres.limit, offset=filtres.offset, total=total)


@router.get(
    "/projets/export/projets-collectivites.csv",
    response={200: None, 400: ErreurRequete, 401: JetonRefuseSchema},
    auth=JetonFacultatif(),
    url_name="export_projets_collectivites",
    operation_id="export_projets_collectivites",
    summary="Export CSV au schéma national « projets de collectivités »",
    openapi_extra=fichier_csv("Fichier CSV (UTF-8, séparateur virgule), une ligne par fiche-action."),
)
@decorate_view(cache_selon_appelant)
def export(request: HttpRequest, criteres: Query[CriteresProjets]):
    """Les fiches-action qui répondent aux critères (les mêmes que la recherche, sans pagination), au format du
    schéma national des projets des collectivités (`projets-territoire`, betagouv, v0.1.0), prêt à valider avec
    `frictionless validate --schema projets-territoire_schema.json`.

    Sans jeton : les fiches publiées, sans les coordonnées des référents. Avec un jeton : tout le périmètre de son
    titulaire, et les coordonnées des référents des fiches des territoires qu’il couvre.
    `collectiviteIds` donne le code INSEE de la commune de la fiche et le SIREN de son EPCI (à défaut de commune,
    le SIREN des EPCI du territoire).
    """
    filtres = criteres.criteres()
    _verifier(filtres)
    user = appelant(request)
    projets = selectors.avec_contacts(selectors.projets_filtres(user, **filtres), user)
    reponse = StreamingHttpResponse(export_schema.lignes_csv(projets), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{export_schema.nom_de_fichier()}"'
    return reponse


@router.get(
    "/projets/{uuid}",
    response={200: ProjetDetail, 400: ErreurRequete, 401: JetonRefuseSchema, 404: Introuvable},
    auth=JetonFacultatif(),
    url_name="projet",
    operation_id="fiche_projet",
    summary="Fiche-action",
)
@decorate_view(cache_selon_appelant)
def detail(
    request: HttpRequest,
    uuid: str = Path(..., description="Identifiant de la fiche (UUID), tel que le donne la liste."),
):
    """Une fiche-action : description, porteur, phase, budget, plan de financement, impact attendu, compétences
    (M57) et leviers (SGPE). Ni le journal de suivi de l’équipe du territoire, ni les documents, ni les coordonnées
    du référent ne sont publiés par l’API.
    Une fiche non publiée, ou hors du périmètre du jeton, est introuvable (404).
    """
    identifiant = _uuid(uuid)
    user = appelant(request)
    projet = (
        selectors.projets_filtres(user)
        .select_related("territoire", "commune")
        .prefetch_related(
            "territoire__regions",
            Prefetch("themes", queryset=Theme.objects.order_by("ordre", "libelle")),
            Prefetch("competences", queryset=Competence.objects.order_by("code")),
            Prefetch("leviers", queryset=Levier.objects.order_by("libelle")),
            Prefetch("financements", queryset=LigneFinancement.objects.order_by("pk")),
        )
        .filter(uuid=identifiant)
        .first()
    )
    if projet is None:
        raise Http404(f"Fiche-action introuvable : {identifiant}")
    return projet


def _uuid(texte: str) -> uuid.UUID:
    try:
        return uuid.UUID(texte)
    except ValueError:
        raise ParametreInvalide(
            "uuid", f"Identifiant mal formé : « {texte[:50]} ». Une fiche-action est désignée par un UUID."
        ) from None
