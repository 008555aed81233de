"""The programme's key figures, computed live by the database in a fixed number of queries."""

from django.db.models import Count, Sum

from ti.referentiel.models import Commune
from ti.territoires.models import CommuneTerritoire, Phase, Territoire


def _perimetre(territoires) -> dict:
    """Figures of the union of the territories' perimeters (a commune in two territories counts once)."""
    communes = Commune.objects.filter(
        pk__in=CommuneTerritoire.objects.filter(territoire__in=territoires).values("commune_id")
    )
    figures = communes.aggregate(
        communes=Count("pk"),
        population=Sum("population"),
        epci=Count("epci", distinct=True),
        departements=Count("departement", distinct=True),
        regions=Count("region", distinct=True),
    )
    figures["population"] = figures["population"] or 0
    return figures


def chiffres_cles() -> dict:
    """{"territoires": n, "phases": [{"phase": 1, "libelle": ..., "territoires": n, "regions": n, ...}], ...totals}."""
    par_phase = dict(Territoire.objects.values_list("phase").annotate(n=Count("pk")).order_by())
    phases = []
    for phase in Phase:
        figures = _perimetre(Territoire.objects.filter(phase=phase))
        phases.append({"phase": phase.value, "libelle": phase.label, "territoires": par_phase.get(phase, 0), **figures})
    return {"territoires": sum(par_phase.values()), **_perimetre(Territoire.objects.all()), "phases": phases}
