"""Figures that change rarely, computed once and kept in the cache until the records they read change.

Every cached value is kept with the data generation it was computed under: a counter kept in the cache itself and
bumped by every write to the records the figures are computed from (`invalider`). A reader takes the generation and
the value in one round trip, and serves the value only if it was computed under that generation; else it computes
and stores it with the generation it read. A value computed while a write commits is stored with the old generation,
which nobody reads any more. So no figure outlives a change, without having to list which keys a change affects.

Whole pages kept for anonymous visitors (`ti.core.cache_pages`) carry a second generation, the pages' one: it is
bumped with the figures' one, and also by a write to any other model (a page shows more than the figures), so that
a write of a fiche does not throw away the figures every time an event or a site changes.

The generation starts from the clock, not from 1: should the cache evict it, the new count cannot meet the keys of
an earlier one. Production shares the cache between processes (CACHE_URL, Redis); the default is per process.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION = "ti:generation"
GENERATION_PAGES = "ti:generation:pages"
DUREE = 6 * 3600  # seconds: a safety net only, invalidation is what keeps the figures right
DUREE_PAGES = 300  # seconds: what the pages' generation guards, for writes made outside a request (ti.core.cache_pages)
T = TypeVar("T")


def generation(nom: str = GENERATION) -> int:
    valeur = cache.get(nom)
    if valeur is None:
        cache.add(nom, time.time_ns(), timeout=None)  # add: two first readers agree on one value
        valeur = cache.get(nom)
    return valeur


def generation_des_pages() -> int:
    return generation(GENERATION_PAGES)


def en_cache(cle: str, calcul: Callable[[], T], *, duree: int = DUREE) -> T:
    """The value of `calcul()` for the current data generation, computed at most once per generation."""
    return _garder(GENERATION, f"ti:chiffres:{cle}", calcul, duree)


def en_cache_des_pages(cle: str, calcul: Callable[[], T]) -> T:
    """As `en_cache`, for a value that reads models the figures do not (a territory's missions, its governance, the
    régions' envelopes): kept with the pages' generation, which a write to any model a page shows bumps, and every
    successful POST too. Writes that send no signal outside a request are bounded by the pages' own short life, as
    the cached pages are."""
    return _garder(GENERATION_PAGES, f"ti:selon-pages:{cle}", calcul, DUREE_PAGES)


def pour_le_lecteur(user, cle: str, calcul: Callable[[], T]) -> T:
    """As `en_cache_des_pages`, for what one signed-in reader sees of his scope (his « À faire », his queue): kept
    under his account and the day, since his rights and what is late change with the date. Any write bumps the
    pages' generation, his own included: his next page shows it. His habilitations are records too: a withdrawal
    bumps it as well (`ti.core.invalidation`)."""
    return en_cache_des_pages(f"lecteur:{user.pk}:{timezone.localdate():%Y-%m-%d}:{cle}", calcul)


def _garder(nom: str, cle: str, calcul: Callable[[], T], duree: int) -> T:
    # One round trip for both: a page asks the cache several values, and each trip costs more than its reading.
    lus = cache.get_many([nom, cle])
    generation_ = lus.get(nom)
    if generation_ is None:  # first reader, or evicted: from the clock, above every generation kept with a value
        generation_ = generation(nom)
    if (gardee := lus.get(cle)) is not None and gardee[0] == generation_:
        return gardee[1]
    valeur = calcul()
    cache.set(cle, (generation_, valeur), duree)
    return valeur


def _avancer(nom: str) -> None:
    try:
        cache.incr(nom)
    except ValueError:  # evicted: start again from the clock
        cache.add(nom, time.time_ns(), timeout=None)


def _suivante() -> None:
    _avancer(GENERATION)
    _avancer(GENERATION_PAGES)


def _pages_suivantes() -> None:
    _avancer(GENERATION_PAGES)


def invalider() -> None:
    """Every cached figure and page is stale: bumped now, so that the writing transaction reads its own writes, and
    again after the commit, for the readers that computed from the old rows in between."""
    _suivante()
    _apres_la_validation(_suivante)


def invalider_pages() -> None:
    """Every cached page is stale (a write to a record the cached figures do not read), now and after the commit."""
    _pages_suivantes()
    _apres_la_validation(_pages_suivantes)


def _apres_la_validation(avancer: Callable[[], None]) -> None:
    """`avancer` once after the commit, however many rows the transaction writes (each sends its signal); outside a
    transaction, the bump just made already follows the commit. A bump planned earlier in the transaction and still
    planned serves (`_suivante` serves for the pages too): a savepoint rollback drops it only with every write made
    inside that savepoint since, this one included."""
    connexion = transaction.get_connection()
    if not connexion.in_atomic_block:
        return
    if not any(prevue in (avancer, _suivante) for _, prevue, _ in connexion.run_on_commit):
        transaction.on_commit(avancer)
