"""Figures of the past Fonds vert awards: how much went to Territoires d'industrie, per year, région and territory.

Everything is summed by the database over the dossiers' lines, a fixed number of queries whatever their number. A
dossier counts once (COUNT DISTINCT), its amount is the sum of its lines: a grouped dossier whose lines lie in
several communes puts in a territory the amount of its lines there, not its whole total. A line counts once in a
total even when its commune belongs to two territories (a phase 1 and a phase 2 one, or two overlapping ones): "in a
territory" is an EXISTS on the line's links, never a join that would repeat its amount. In the per-territory table,
on the contrary, a line counts in each of its territories.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce

from ti.core.models import Journal
from ti.financements.ecriture_fonds_vert import ACTION_JOURNAL
from ti.financements.models import AttributionFondsVert, LigneFondsVert
from ti.territoires.models import Phase

ZERO = Decimal("0.00")
Lien = LigneFondsVert.territoires.through


def _somme(condition: Q | None = None):
    return Coalesce(
        Sum("montant_engage", filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def _dans_un_territoire(phase: int | None = None) -> Q:
    liens = Lien.objects.filter(lignefondsvert_id=OuterRef("pk"))
    if phase is not None:
        liens = liens.filter(territoire__phase=phase)
    return Q(Exists(liens))


def _agregats() -> dict:
    en_ti = _dans_un_territoire()
    return {
        "nombre": Count("attribution", distinct=True),
        "montant": _somme(),
        "nombre_ti": Count("attribution", distinct=True, filter=en_ti),
        "montant_ti": _somme(en_ti),
        "montant_phase_1": _somme(_dans_un_territoire(Phase.TEMPS_1)),
        "montant_phase_2": _somme(_dans_un_territoire(Phase.TEMPS_2)),
        "non_placees": Count("pk", filter=Q(commune__isnull=True)),
    }


def _avec_part(ligne: dict) -> dict:
    ligne["part_ti"] = ligne["montant_ti"] * 100 / ligne["montant"] if ligne["montant"] else None
    return ligne


def par_annee() -> list[dict]:
    """One query: per year, the dossiers, the amount engaged, in a TI territory (any phase, and per phase), the
    unplaced lines."""
    lignes = LigneFondsVert.objects.values(annee=F("attribution__annee")).annotate(**_agregats()).order_by("-annee")
    return [_avec_part(ligne) for ligne in lignes]


def par_region(annee: int) -> list[dict]:
    """One query: the year's dossiers per région of their lines (lines without a région last). A dossier whose lines
    lie in two régions counts in each."""
    lignes = (
        LigneFondsVert.objects.filter(attribution__annee=annee)
        .values("region__code", "region__nom")
        .annotate(**_agregats())
        .order_by("region__nom")
    )
    lignes = [_avec_part(ligne) for ligne in lignes]
    return sorted(lignes, key=lambda ligne: ligne["region__code"] is None)


def par_territoire(annee: int, total: Decimal) -> list[dict]:
    """One query: the year's dossiers per territory (the amount of their lines there), largest amount first, with
    the territory's share of `total`."""
    lignes = (
        Lien.objects.filter(lignefondsvert__attribution__annee=annee)
        .values("territoire__identifiant", "territoire__nom", "territoire__phase")
        .annotate(
            nombre=Count("lignefondsvert__attribution", distinct=True),
            montant=Coalesce(
                Sum("lignefondsvert__montant_engage"),
                Value(ZERO),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
        )
        .order_by("-montant", "territoire__nom")
    )
    return [ligne | {"part": ligne["montant"] * 100 / total if total else None} for ligne in lignes]


def provenance(annee: int) -> dict | None:
    """One query: what the latest import of the year recorded (file name, fingerprint, counts, when)."""
    journal = Journal.objects.filter(action=ACTION_JOURNAL, objet_id=str(annee)).order_by("-quand", "-id").first()
    return journal.details | {"quand": journal.quand} if journal else None


def dossiers(annee: int, *, groupes: bool = False):
    """The year's dossiers, largest total first, each with its lines (commune, région, territories prefetched: a
    page of dossiers in four queries). `groupes`: only the dossiers of several lines."""
    lignes = LigneFondsVert.objects.select_related("commune", "region").prefetch_related("territoires")
    dossiers = AttributionFondsVert.objects.filter(annee=annee)
    if groupes:
        dossiers = dossiers.filter(nombre_lignes__gt=1)
    return dossiers.order_by("-montant_engage", "numero_demarche", "numero_dossier").prefetch_related(
        Prefetch("lignes", queryset=lignes)
    )
