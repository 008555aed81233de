"""The facets of the search over fiches-action and its number of results, counted together in two grouped queries
over the matching fiches and kept in the figures' cache (`ti.core.cache`): see `compter`."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from ti.core.cache import en_cache
from ti.core.recherche import filtrer_texte
from ti.projets.models import Axe, PhaseProjet, Projet, StatutPhase, Theme
from ti.projets.selectors_filtres import cle_du_cache, filtrer, filtres_de
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

TERRITOIRES_DANS_LA_FACETTE = 20


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


@dataclass(frozen=True)
class Comptes:
    """What a search counts: the fiches that match every criterion, and the facets."""

    total: int
    facettes: dict[str, Facette]


LIBELLES_FACETTES = {
    "region": "Région",
    "territoire": "Territoire",
    "axe": "Axe",
    "theme": "Thème",
    "phase": "Phase",
    "statut": "Statut de la phase",
}
# The facets counted from the fiche's own columns: (filter, column, list of codes).
_COLONNES = (("axe", "axe", Axe), ("phase", "phase", PhaseProjet), ("statut", "phase_statut", StatutPhase))


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


def _et(*conditions: Q | None) -> Q | None:
    presentes = [c for c in conditions if c is not None]
    if not presentes:
        return None
    resultat = presentes[0]
    for condition in presentes[1:]:
        resultat &= condition
    return resultat


@dataclass
class _Territoire:
    """One territory's counts in the grouped query, with its régions (a territory may lie in two)."""

    identifiant: str
    nom: str
    comptes: dict[str, int]
    regions: dict[str, str] = field(default_factory=dict)  # code → name


def _par_territoire(base: QuerySet, filtres: dict[str, list[str]]) -> list[_Territoire]:
    """One scan of the matching fiches, grouped by territory (and its régions, for their labels), counting with
    FILTER clauses: `tout` with every filter on the fiche's columns (axe, theme, phase, statut), and for each value
    of the axes, phases and statuses, with every one of these filters but its own. The région and territory filters
    are not in the SQL: they depend on the territory alone, and are applied to the groups by `_compter`.
    Territories come in the order of their names (the database's collation), for the territory facet's ties."""
    conditions = {
        "axe": Q(axe__in=filtres["axe"]) if filtres["axe"] else None,
        "theme": (
            Q(pk__in=Projet.themes.through.objects.filter(theme_id__in=filtres["theme"]).values("projet_id"))
            if filtres["theme"]
            else None
        ),
        "phase": Q(phase__in=filtres["phase"]) if filtres["phase"] else None,
        "statut": Q(phase_statut__in=filtres["statut"]) if filtres["statut"] else None,
    }

    def sauf(nom: str | None = None) -> Q | None:
        return _et(*(condition for cle, condition in conditions.items() if cle != nom))

    comptes = {"tout": Count("pk", filter=sauf())}
    for nom, colonne, liste in _COLONNES:
        autres = sauf(nom)
        for code in liste.values:
            comptes[f"{nom}_{code}"] = Count("pk", filter=_et(Q(**{colonne: code}), autres))
    lignes = (
        base.order_by()
        .values(
            "territoire_id",
            "territoire__identifiant",
            "territoire__nom",
            "territoire__regions__code",
            "territoire__regions__nom",
        )
        .annotate(**comptes)
        .order_by("territoire__nom", "territoire_id")
    )
    territoires: dict[int, _Territoire] = {}
    for ligne in lignes:
        territoire = territoires.get(ligne["territoire_id"])
        if territoire is None:  # the counts are the territory's, repeated on the row of each of its régions
            territoire = territoires[ligne["territoire_id"]] = _Territoire(
                ligne["territoire__identifiant"], ligne["territoire__nom"], {nom: ligne[nom] for nom in comptes}
            )
        if ligne["territoire__regions__code"] is not None:
            territoire.regions[ligne["territoire__regions__code"]] = ligne["territoire__regions__nom"]
    return list(territoires.values())


def _compter(user, q: str, filtres: dict[str, list[str]]) -> Comptes:
    base = filtrer_texte(Projet.objects.visible_to(user), q)
    territoires = _par_territoire(base, filtres)
    regions_choisies, territoires_choisis = set(filtres["region"]), set(filtres["territoire"])

    def dans_les_regions(territoire: _Territoire) -> bool:
        return not regions_choisies or not regions_choisies.isdisjoint(territoire.regions)

    def parmi_les_territoires(territoire: _Territoire) -> bool:
        return not territoires_choisis or territoire.identifiant in territoires_choisis

    retenus = [t for t in territoires if dans_les_regions(t) and parmi_les_territoires(t)]
    total = sum(t.comptes["tout"] for t in retenus)
    facettes_des_colonnes = {
        nom: _facette(
            nom,
            {code: sum(t.comptes[f"{nom}_{code}"] for t in retenus) for code in liste.values},
            dict(liste.choices),
            filtres[nom],
        )
        for nom, _, liste in _COLONNES
    }

    # Régions: every filter but the région's. A fiche counts in each région of its territory (rarely more than one).
    par_region: dict[str, list] = {}
    for territoire in territoires:
        if parmi_les_territoires(territoire) and territoire.comptes["tout"]:
            for code, nom in territoire.regions.items():
                par_region.setdefault(code, [nom, 0])[1] += territoire.comptes["tout"]
    regions = sorted(((code, nom, nombre) for code, (nom, nombre) in par_region.items()), key=lambda r: (r[1], r[0]))
    par_region_facette = _facette_de_table(
        "region", regions, filtres["region"], Region.objects.order_by("nom"), "code", "nom"
    )

    # Territories: every filter but the territory's; the 20 with the most fiches, then any chosen one beyond them.
    candidats = [t for t in territoires if dans_les_regions(t) and t.comptes["tout"]]
    premiers = sorted(candidats, key=lambda t: -t.comptes["tout"])[:TERRITOIRES_DANS_LA_FACETTE]  # stable: by name
    comptes_territoires = {t.identifiant: t.comptes["tout"] for t in premiers}
    libelles_territoires = {t.identifiant: t.nom for t in premiers}
    for territoire in candidats:
        if territoire.identifiant in territoires_choisis and territoire.identifiant not in libelles_territoires:
            comptes_territoires[territoire.identifiant] = territoire.comptes["tout"]
            libelles_territoires[territoire.identifiant] = territoire.nom
    absents = [t for t in filtres["territoire"] if t not in libelles_territoires]
    if absents:  # chosen, but no fiche left with the other filters: one more query for their names
        libelles_territoires.update(
            Territoire.objects.filter(identifiant__in=absents).order_by("nom").values_list("identifiant", "nom")
        )
    par_territoire = _facette("territoire", comptes_territoires, libelles_territoires, filtres["territoire"])

    # Themes: a fiche has several, so they are grouped through their links, with every filter but the theme's.
    themes = _groupes(filtrer(base, filtres, sauf="theme"), "themes__code", "themes__libelle", "themes__ordre")
    par_theme = _facette_de_table("theme", themes, filtres["theme"], Theme.objects.order_by("ordre"), "code", "libelle")

    return Comptes(
        total=total,
        facettes={
            "region": par_region_facette,
            "territoire": par_territoire,
            "axe": facettes_des_colonnes["axe"],
            "theme": par_theme,
            "phase": facettes_des_colonnes["phase"],
            "statut": facettes_des_colonnes["statut"],
        },
    )


def compter(user, *, q: str = "", **criteres) -> Comptes:
    """The number of fiches `rechercher_projets` finds, and for each facet the number of fiches per value, counted
    with the text and every OTHER filter applied.

    So a facet still offers its other values once one is ticked (« Innover (12) » next to « Recruter (8) »), and each
    number is what ticking that value would add. Same arguments as `rechercher_projets`.
    Two queries over the matching fiches, whatever their number: one grouped by territory that counts the total,
    the régions, the territories, the axes, the phases and the statuses at once (FILTER clauses), one for the themes
    (through their links). The territory facet keeps the 20 territories with the most fiches. A chosen value that
    no fiche matches is still listed (so that it can be unticked), which takes one more query for its label.

    A frequent word or no text at all matches a large part of the fiches: the counts are kept in the figures' cache,
    under the user's visibility (`visibilite`: users who see the same fiches share the entry) and the normalised
    criteria. They read fiches, their themes, the territories, their régions and the themes' and régions' labels:
    every write to these invalidates the cache (`ti.core.invalidation`).
    """
    filtres = filtres_de(**criteres)
    return en_cache(f"{cle_du_cache(user, q, filtres)}:comptes", lambda: _compter(user, q, filtres))


def facettes(user, **criteres) -> dict[str, Facette]:
    """The facets of `compter` (same arguments)."""
    return compter(user, **criteres).facettes
