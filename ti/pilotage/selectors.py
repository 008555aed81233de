"""The programme's key figures, computed live by the database in a fixed number of queries."""

from django.db.models import Count

from ti.referentiel.models import Region
from ti.territoires.models import Phase, Territoire
from ti.territoires.selectors import chiffres_du_perimetre


def chiffres_cles() -> dict:
    """{"territoires": n, "phases": [{"phase": 1, "libelle": ..., "territoires": n, "regions": n, ...}], ...totals}.

    Four queries: the territories per phase, then the perimeter of each phase and of the whole programme.
    """
    par_phase = dict(Territoire.objects.values_list("phase").annotate(n=Count("pk")).order_by())
    phases = []
    for phase in Phase:
        figures = chiffres_du_perimetre(Territoire.objects.filter(phase=phase))
        phases.append({"phase": phase.value, "libelle": phase.label, "territoires": par_phase.get(phase, 0), **figures})
    return {"territoires": sum(par_phase.values()), **chiffres_du_perimetre(Territoire.objects.all()), "phases": phases}


def regions_et_territoires():
    """Every région with its number of territories (one query), for the home page's links."""
    return Region.objects.annotate(nb_territoires=Count("territoires", distinct=True)).order_by("nom")
