"""The programme's key figures: computed by the database in a fixed number of queries, then kept in the cache until
a territory, a perimeter or the référentiel changes (ti/core/invalidation.py)."""

from django.db.models import Count

from ti.core.cache import en_cache
from ti.referentiel.models import Region
from ti.territoires.filiation import Continuite, continuite
from ti.territoires.models import Phase, Territoire
from ti.territoires.reseau import phrase_nationale
from ti.territoires.selectors import chiffres_du_perimetre


def chiffres_cles() -> dict:
    """{"territoires": n, "phases": [{"phase": 1, "libelle": ..., "territoires": n, "regions": n, ...}], ...totals}.

    The same for everybody (territories are public records): one cache entry, shared by the home page and the API.
    """
    return en_cache("accueil:chiffres", _chiffres_cles)


def _chiffres_cles() -> dict:
    """Four queries: the territories per phase, then the perimeter of each phase and of the whole programme."""
    par_phase = dict(Territoire.objects.values_list("phase").annotate(n=Count("pk")).order_by())
    phases = []
    for phase in Phase:
        figures = chiffres_du_perimetre(Territoire.objects.filter(phase=phase))
        phases.append({"phase": phase.value, "libelle": phase.label, "territoires": par_phase.get(phase, 0), **figures})
    return {"territoires": sum(par_phase.values()), **chiffres_du_perimetre(Territoire.objects.all()), "phases": phases}


def regions_et_territoires() -> list[Region]:
    """Every région with its number of territories, for the home page's links (one query, then cached)."""
    return en_cache(
        "accueil:regions",
        lambda: list(Region.objects.annotate(nb_territoires=Count("territoires", distinct=True)).order_by("nom")),
    )


def continuite_du_programme() -> Continuite:
    """Temps II territories new or continuing Temps I ones (one query, then cached: imports invalidate)."""
    return en_cache("accueil:continuite", continuite)


def phrase_du_reseau() -> str:
    """The chefs de projet sentence (one query, then cached: a status is changed by saving its territory)."""
    return en_cache("accueil:reseau", phrase_nationale)
