"""The search over fiches-action and its facets: read queries only, each in a fixed number of SQL queries.

Full text is French on PostgreSQL: the query, made accent-free by `cle_recherche` like the stored `texte_recherche`,
is matched with `websearch_to_tsquery('french', …)` against `to_tsvector('french', texte_recherche)` — the very
expression of the GIN index of migration 0003, so that the index serves it — and ranked by `ts_rank`.
SQLite has no French stemming: every word of the query must appear in `texte_recherche` (substring match).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Func, Prefetch, Q, QuerySet, Value

from ti.core.texte import cle_recherche
from ti.projets.models import Axe, PhaseProjet, Projet, StatutPhase, Theme
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

PUBLIC = AnonymousUser()  # what a visitor without an account sees: the published fiches only
TERRITOIRES_DANS_LA_FACETTE = 20
FILTRES = ("region", "territoire", "axe", "theme", "phase", "statut")


class VecteurFrancais(Func):
    """`to_tsvector('french'::regconfig, texte_recherche)`, written exactly as the index of migration 0003.

    Django's `SearchVector("texte_recherche", config="french")` wraps the column in `COALESCE(…, '')`, an expression
    the planner does not recognise as the indexed one: every search would then read the whole table.
    The column is NOT NULL, so the COALESCE adds nothing.
    """

    function = "to_tsvector"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(SearchConfig("french"), F("texte_recherche"))


def requete_francaise(q: str) -> SearchQuery | None:
    cle = cle_recherche(q)
    return SearchQuery(cle, config="french", search_type="websearch") if cle else None


def _mots(q: str) -> list[str]:
    return [mot for mot in cle_recherche(q).replace('"', " ").split() if mot]


def _texte(projets: QuerySet, q: str) -> QuerySet:
    """Keep the fiches that match `q` (no ordering: callers rank or count)."""
    if not cle_recherche(q):
        return projets
    if connection.vendor == "postgresql":
        return projets.alias(vecteur=VecteurFrancais()).filter(vecteur=requete_francaise(q))
    for mot in _mots(q):
        projets = projets.filter(texte_recherche__contains=mot)
    return projets


def _valeurs(valeur: str | Iterable[str] | None) -> list[str]:
    """A filter is one value, several (checkboxes, repeated parameters: any of them) or none."""
    if valeur is None or valeur == "":
        return []
    if isinstance(valeur, str):
        return [valeur]
    return [v for v in valeur if v]


def _filtrer(projets: QuerySet, filtres: dict[str, list[str]], sauf: str | None = None) -> QuerySet:
    """Apply every filter but `sauf`: within a filter the values add up (or), filters narrow each other (and)."""
    actifs = {nom: valeurs for nom, valeurs in filtres.items() if valeurs and nom != sauf}
    if "region" in actifs:
        # Through the territory's régions, as a subquery so that a territory of two régions gives no duplicate.
        projets = projets.filter(
            territoire__in=Territoire.regions.through.objects.filter(region_id__in=actifs["region"]).values(
                "territoire_id"
            )
        )
    if "territoire" in actifs:
        projets = projets.filter(territoire__identifiant__in=actifs["territoire"])
    if "axe" in actifs:
        projets = projets.filter(axe__in=actifs["axe"])
    if "theme" in actifs:
        projets = projets.filter(
            pk__in=Projet.themes.through.objects.filter(theme_id__in=actifs["theme"]).values("projet_id")
        )
    if "phase" in actifs:
        projets = projets.filter(phase__in=actifs["phase"])
    if "statut" in actifs:
        projets = projets.filter(phase_statut__in=actifs["statut"])
    return projets


def _filtres(**criteres) -> dict[str, list[str]]:
    return {nom: _valeurs(criteres.get(nom)) for nom in FILTRES}


_LISTES = {  # the filters on a fixed list, and the filters on a table: (model, field)
    "axe": Axe.values,
    "phase": PhaseProjet.values,
    "statut": StatutPhase.values,
}
_TABLES = {"region": (Region, "code"), "territoire": (Territoire, "identifiant"), "theme": (Theme, "code")}


def valeurs_inconnues(nom: str, valeurs: Iterable[str]) -> list[str]:
    """The values of the filter `nom` that name nothing known: none is a typo to report, not an empty result.
    One query for régions, territories or themes (when values are given), none for the fixed lists."""
    valeurs = list(dict.fromkeys(valeurs))
    if not valeurs:
        return []
    if nom in _LISTES:
        return [v for v in valeurs if v not in _LISTES[nom]]
    modele, champ = _TABLES[nom]
    connues = set(modele.objects.filter(**{f"{champ}__in": valeurs}).values_list(champ, flat=True))
    return [v for v in valeurs if v not in connues]


def projets_filtres(user, *, q: str = "", **filtres) -> QuerySet:
    """The fiches `user` sees that match, unordered and without rank: for exports and counts."""
    return _filtrer(_texte(Projet.objects.visible_to(user), q), _filtres(**filtres))


def avec_contacts(projets: QuerySet, user) -> QuerySet:
    """Annotate `contacts_visibles`: whether the referent's contacts may be shown to `user`.

    They are the territory team's working data: shown to those whose scope covers the fiche's territory (as the
    rule « voir_suivi_projets »), never to the public nor to other territories, even on a published fiche.
    """
    if not user.is_authenticated:
        return projets.annotate(contacts_visibles=Value(False, output_field=BooleanField()))
    return projets.annotate(
        contacts_visibles=ExpressionWrapper(
            Q(territoire__in=Territoire.objects.du_perimetre(user).values("pk")), output_field=BooleanField()
        )
    )


def rechercher_projets(
    user,
    *,
    q: str = "",
    region: str | Iterable[str] | None = None,
    territoire: str | Iterable[str] | None = None,
    axe: str | Iterable[str] | None = None,
    theme: str | Iterable[str] | None = None,
    phase: str | Iterable[str] | None = None,
    statut: str | Iterable[str] | None = None,
) -> QuerySet:
    """The fiches-action `user` sees that match the text and the filters, the most relevant first.

    `region` is a région's INSEE code, `territoire` a territory's identifiant (ti2-2401), `axe`, `theme`, `phase`
    and `statut` the codes of their lists; each may be one value or several (any of them matches).
    Each fiche comes with its territory and commune; its themes are prefetched (2 queries for a page).
    """
    projets = projets_filtres(
        user, q=q, region=region, territoire=territoire, axe=axe, theme=theme, phase=phase, statut=statut
    )
    if cle_recherche(q) and connection.vendor == "postgresql":
        projets = projets.annotate(pertinence=SearchRank(VecteurFrancais(), requete_francaise(q))).order_by(
            "-pertinence", "-modifie_le", "-pk"
        )
    else:
        projets = projets.order_by("-modifie_le", "-pk")
    return projets.select_related("territoire", "commune").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("ordre", "libelle"))
    )


# Facets --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Valeur:
    code: str
    libelle: str
    nombre: int
    choisie: bool = False


@dataclass(frozen=True)
class Facette:
    nom: str  # the filter's name: region, territoire, axe…
    libelle: str
    valeurs: list[Valeur] = field(default_factory=list)

    @property
    def choisies(self) -> list[Valeur]:
        return [v for v in self.valeurs if v.choisie]


LIBELLES_FACETTES = {
    "region": "Région",
    "territoire": "Territoire",
    "axe": "Axe",
    "theme": "Thème",
    "phase": "Phase",
    "statut": "Statut de la phase",
}


def _comptes(projets: QuerySet, *champs: str) -> list[dict]:
    return list(projets.order_by().values(*champs).annotate(nombre=Count("pk")))


def _facette(nom: str, comptes: dict[str, int], libelles: dict[str, str], choisies: list[str]) -> Facette:
    """Values in the list's order (`libelles`), those with no fiche left out unless chosen (so they can be unticked)."""
    valeurs = [
        Valeur(code=code, libelle=libelle, nombre=comptes.get(code, 0), choisie=code in choisies)
        for code, libelle in libelles.items()
        if comptes.get(code) or code in choisies
    ]
    return Facette(nom=nom, libelle=LIBELLES_FACETTES[nom], valeurs=valeurs)


def _groupes(projets: QuerySet, code: str, libelle: str, ordre: str) -> list[tuple[str, str, int]]:
    """(code, label, number of fiches) of a related list, in its order; fiches with no value left out."""
    lignes = (
        projets.order_by()
        .filter(**{f"{code}__isnull": False})
        .values_list(code, libelle, ordre)
        .annotate(nombre=Count("pk"))
        .order_by(ordre, code)
    )
    return [(valeur, nom, nombre) for valeur, nom, _, nombre in lignes]


def _facette_de_table(nom: str, lignes, choisies: list[str], table: QuerySet, code: str, libelle: str) -> Facette:
    """A facet on a table (régions, themes): the values counted, and those chosen but counted in no fiche, whose
    labels then take one more query."""
    libelles = {valeur: texte for valeur, texte, _ in lignes}
    absentes = [valeur for valeur in choisies if valeur not in libelles]
    if absentes:
        libelles.update(table.filter(**{f"{code}__in": absentes}).values_list(code, libelle))
    return _facette(nom, {valeur: nombre for valeur, _, nombre in lignes}, libelles, choisies)


def facettes(
    user,
    *,
    q: str = "",
    region: str | Iterable[str] | None = None,
    territoire: str | Iterable[str] | None = None,
    axe: str | Iterable[str] | None = None,
    theme: str | Iterable[str] | None = None,
    phase: str | Iterable[str] | None = None,
    statut: str | Iterable[str] | None = None,
) -> dict[str, Facette]:
    """For each facet, the number of fiches per value, counted with the text and every OTHER filter applied.

    So a facet still offers its other values once one is ticked (« Innover (12) » next to « Recruter (8) »), and each
    number is what ticking that value would add. Same arguments as `rechercher_projets`.
    Six queries, one per facet, each grouped by the database from the matching fiches, with its labels (régions,
    themes and territories joined; axes, phases and statuses labelled from the code). The territory facet keeps the
    20 territories with the most fiches. A chosen value that no fiche matches is still listed (so that it can be
    unticked), which takes one more query for its label (régions, themes, territories beyond the first 20).
    """
    filtres = _filtres(region=region, territoire=territoire, axe=axe, theme=theme, phase=phase, statut=statut)
    base = _texte(Projet.objects.visible_to(user), q)

    def sans(nom: str) -> QuerySet:
        return _filtrer(base, filtres, sauf=nom)

    # Régions and themes: grouped from the matching fiches (so that an index-served text search stays cheap), with
    # their labels. A fiche counts in each région of its territory (rarely more than one).
    regions = _groupes(
        sans("region"), "territoire__regions__code", "territoire__regions__nom", "territoire__regions__nom"
    )
    par_region = _facette_de_table("region", regions, filtres["region"], Region.objects.order_by("nom"), "code", "nom")
    themes = _groupes(sans("theme"), "themes__code", "themes__libelle", "themes__ordre")
    par_theme = _facette_de_table("theme", themes, filtres["theme"], Theme.objects.order_by("ordre"), "code", "libelle")

    # Territories: the 20 with the most fiches, then any chosen one beyond them.
    lignes = (
        sans("territoire")
        .order_by()
        .values("territoire__identifiant", "territoire__nom")
        .annotate(nombre=Count("pk"))
        .order_by("-nombre", "territoire__nom")[:TERRITOIRES_DANS_LA_FACETTE]
    )
    territoires = {ligne["territoire__identifiant"]: (ligne["territoire__nom"], ligne["nombre"]) for ligne in lignes}
    manquants = [t for t in filtres["territoire"] if t not in territoires]
    if manquants:  # chosen, but beyond the first 20: one more query
        for identifiant, nom, nombre in (
            Territoire.objects.filter(identifiant__in=manquants)
            .annotate(nombre=Count("projets", filter=Q(projets__in=sans("territoire").values("pk"))))
            .values_list("identifiant", "nom", "nombre")
        ):
            territoires[identifiant] = (nom, nombre)
    par_territoire = _facette(
        "territoire",
        {code: nombre for code, (_, nombre) in territoires.items()},
        {code: nom for code, (nom, _) in territoires.items()},
        filtres["territoire"],
    )

    axes = {ligne["axe"]: ligne["nombre"] for ligne in _comptes(sans("axe"), "axe")}
    phases = {ligne["phase"]: ligne["nombre"] for ligne in _comptes(sans("phase"), "phase")}
    statuts = {ligne["phase_statut"]: ligne["nombre"] for ligne in _comptes(sans("statut"), "phase_statut")}

    return {
        "region": par_region,
        "territoire": par_territoire,
        "axe": _facette("axe", axes, dict(Axe.choices), filtres["axe"]),
        "theme": par_theme,
        "phase": _facette("phase", phases, dict(PhaseProjet.choices), filtres["phase"]),
        "statut": _facette("statut", statuts, dict(StatutPhase.choices), filtres["statut"]),
    }
