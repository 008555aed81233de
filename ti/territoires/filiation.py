"""Temps I → Temps II lineage: which phase 1 territories each phase 2 territory continues, from the communes they
share. Stored in `Filiation`, recomputed by each import that changes a perimeter (docs/decisions/0033)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum

from ti.territoires.models import CommuneTerritoire, Filiation, Phase, Territoire


def recalculer_filiations() -> int:
    """Rewrite every lineage row from the perimeters, in one aggregate query; returns the number of rows."""
    paires = (
        CommuneTerritoire.objects.filter(
            territoire__phase=Phase.TEMPS_2, commune__appartenances__territoire__phase=Phase.TEMPS_1
        )
        .values("territoire_id", "commune__appartenances__territoire_id")
        .annotate(communes=Count("commune_id", distinct=True), population=Sum("commune__population"))
        .order_by()
    )
    lignes = [
        Filiation(
            temps2_id=p["territoire_id"],
            temps1_id=p["commune__appartenances__territoire_id"],
            communes=p["communes"],
            population=p["population"] or 0,
        )
        for p in paires
    ]
    Filiation.objects.all().delete()
    Filiation.objects.bulk_create(lignes, batch_size=2000)
    return len(lignes)


def filiations_de(territoire: Territoire) -> list[Filiation]:
    """A Temps II territory's origins in Temps I, or a Temps I territory's continuations in Temps II: one query."""
    if territoire.phase == Phase.TEMPS_2:
        return list(territoire.origines.select_related("temps1"))
    return list(territoire.suites.select_related("temps2"))


@dataclass(frozen=True)
class Continuite:
    temps2: int
    temps2_heritiers: int  # continuing at least one phase 1 territory
    temps2_nouveaux: int
    temps1: int
    temps1_poursuivis: int
    temps1_non_poursuivis: int


def continuite() -> Continuite:
    """National figures of continuity, in one query."""
    heritier = Exists(Filiation.objects.filter(temps2=OuterRef("pk")))
    poursuivi = Exists(Filiation.objects.filter(temps1=OuterRef("pk")))
    chiffres = Territoire.objects.aggregate(
        temps2=Count("pk", filter=Q(phase=Phase.TEMPS_2)),
        temps2_heritiers=Count("pk", filter=Q(heritier, phase=Phase.TEMPS_2)),
        temps1=Count("pk", filter=Q(phase=Phase.TEMPS_1)),
        temps1_poursuivis=Count("pk", filter=Q(poursuivi, phase=Phase.TEMPS_1)),
    )
    return Continuite(
        temps2_nouveaux=chiffres["temps2"] - chiffres["temps2_heritiers"],
        temps1_non_poursuivis=chiffres["temps1"] - chiffres["temps1_poursuivis"],
        **chiffres,
    )
