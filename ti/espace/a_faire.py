"""« À faire »: what awaits a signed-in person across all their roles, each item linking to the place to act.

One collector per kind of action (`ti/espace/collecteurs/`), registered with `@genre`. A collector returns None,
without touching the database, when the person holds no role that acts on its kind; otherwise it reads its rows
through the permission layer (`visible_to`, `permissions.q_…`) in ONE query that also counts them (a window count),
so that the page makes a bounded number of queries whatever the data size. A new module adds its kind by writing
one more decorated function in a module of that package.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.db.models import Count, QuerySet, Window

LIMITE = 10  # items shown per kind on « À faire »; the count says how many there are in all
LIMITE_D_UN_GENRE = 200  # on the page of one kind
_limite: ContextVar[int] = ContextVar("limite_a_faire", default=LIMITE)


@dataclass(frozen=True)
class Element:
    texte: str
    lien: str
    precision: str = ""
    quand: object = None  # a date or datetime, shown after `libelle_quand` in the French way by the template
    libelle_quand: str = ""
    en_retard: bool = False


@dataclass(frozen=True)
class Groupe:
    titre: str
    total: int
    elements: list[Element] = field(default_factory=list)
    lien_tout: str = ""  # the page that lists them all, when there are more than shown
    code: str = ""  # the collector's name, set by `a_faire`

    @property
    def non_affiches(self) -> int:
        return self.total - len(self.elements)


Collecteur = Callable[[object], Groupe | None]
COLLECTEURS: list[tuple[int, Collecteur]] = []


def genre(ordre: int):
    """Registers a kind of action; kinds are shown by `ordre`: what others wait for first, one's agenda last."""

    def enregistrer(collecteur: Collecteur) -> Collecteur:
        COLLECTEURS.append((ordre, collecteur))
        COLLECTEURS.sort(key=lambda paire: paire[0])
        return collecteur

    return enregistrer


def a_faire(user, *, seulement: str | None = None) -> list[Groupe]:
    """The kinds of action that await `user`, each with its count and its first items; empty kinds left out.
    `seulement`: one kind (the collector's name), with up to `LIMITE_D_UN_GENRE` items."""
    if not user.is_authenticated:
        return []
    collecteurs = [c for _, c in COLLECTEURS if seulement is None or c.__name__ == seulement]
    jeton = _limite.set(LIMITE if seulement is None else LIMITE_D_UN_GENRE)
    try:
        groupes = [(collecteur.__name__, collecteur(user)) for collecteur in collecteurs]
    finally:
        _limite.reset(jeton)
    return [replace(groupe, code=code) for code, groupe in groupes if groupe is not None and groupe.total]


def genres() -> set[str]:
    return {collecteur.__name__ for _, collecteur in COLLECTEURS}


def lire(
    titre: str,
    lignes: QuerySet,
    element: Callable[[object], Element],
    *,
    lien_tout: str = "",
) -> Groupe:
    """The first rows and their total, in one query: each row carries the count of the whole result."""
    premieres = list(lignes.annotate(total_a_faire=Window(Count("pk")))[: _limite.get()])
    total = premieres[0].total_a_faire if premieres else 0
    return Groupe(titre, total, [element(ligne) for ligne in premieres], lien_tout)
