"""« À faire »: what awaits a signed-in person across all their roles, each item linking to the place to act.

One collector per kind of action (`ti/espace/collecteurs/`), registered with `@genre`. A collector returns None,
without touching the database, when the person holds no role that acts on its kind; otherwise it reads its rows
through the permission layer (`visible_to`, `permissions.q_…`): its first rows in one query, and only when they
fill the page, a second that counts the rest up to `PLAFOND` (« plus de 100 »): the page makes a bounded number of
queries, each stopping early, whatever the data size (a window count over a région's thousands of late opinions
cost 35 ms per visit, docs/decisions/0068-requetes-des-pages-connectees.md). A new module adds its kind by writing
one more decorated function in a module of that package.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet

LIMITE = 10  # items shown per kind on « À faire »; the count says how many there are in all
PLAFOND = 100  # counted up to here on « À faire »; the page of one kind counts them all
LIMITE_D_UN_GENRE = 200  # on the page of one kind
_limite: ContextVar[int] = ContextVar("limite_a_faire", default=LIMITE)
_plafond: ContextVar[int | None] = ContextVar("plafond_a_faire", default=PLAFOND)


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
    plus_de: bool = False  # the count stopped at `total` (PLAFOND): there are more

    @property
    def non_affiches(self) -> int:
        return self.total - len(self.elements)

    @property
    def total_en_mots(self) -> str:
        return f"plus de {self.total}" if self.plus_de else str(self.total)


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
    jeton_plafond = _plafond.set(PLAFOND if seulement is None else None)
    try:
        groupes = [(collecteur.__name__, collecteur(user)) for collecteur in collecteurs]
    finally:
        _limite.reset(jeton)
        _plafond.reset(jeton_plafond)
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
    """The first rows, and their total: counted only when the first rows fill the page, up to the ceiling."""
    limite, plafond = _limite.get(), _plafond.get()
    premieres = list(lignes[:limite])
    total, plus_de = len(premieres), False
    if total == limite:
        if plafond is None:
            total = lignes.count()
        else:  # the rows in the page's order, so that the count stops where the page's own index does
            total = lignes[: plafond + 1].count()
            total, plus_de = min(total, plafond), total > plafond
    return Groupe(titre, total, [element(ligne) for ligne in premieres], lien_tout, plus_de=plus_de)
