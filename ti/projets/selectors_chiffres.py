"""Figures of fiches-action: a territory's, a région's, the programme's. Computed by the database.

Every function takes the fiches a user may see (`Projet.objects.visible_to(user)`, narrowed as the page needs) and
answers in a fixed number of queries, whatever the number of fiches, territories or financing lines.
"""

from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db.models import Count, DecimalField, IntegerField, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from ti.comptes import permissions
from ti.core.cache import en_cache
from ti.projets.models import Axe, LigneFinancement, PhaseProjet, StatutFinancement, StatutPhase, Theme
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

ZERO = Decimal("0.00")
CENTIME = Decimal("0.01")
_MONTANT = DecimalField(max_digits=16, decimal_places=2)
_ENTIER = IntegerField()


def en_cache_pour(user, cle: str, calcul):
    """`calcul()` kept in the cache for everybody who sees the same fiches as `user` (`permissions.visibilite`):
    one entry for the whole national team, one for all visitors. The figures' models invalidate it on every write
    (ti/core/invalidation.py)."""
    return en_cache(f"chiffres-projets:{cle}:{permissions.visibilite(user)}", calcul)


def part(numerateur: Decimal | None, denominateur: Decimal | None) -> Decimal | None:
    """A share in per cent, one decimal (« 42,5 »); None when the base is missing or zero."""
    if not numerateur or not denominateur:
        return None if not denominateur else Decimal("0.0")
    return (Decimal(numerateur) * 100 / Decimal(denominateur)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _montant(valeur) -> Decimal:
    """Sums come back as 250000 from SQLite and 250000.00 from PostgreSQL: always two decimals."""
    return Decimal(valeur or 0).quantize(CENTIME)


def _actives(projets: QuerySet) -> QuerySet:
    """Archived fiches never count; the caller's ordering would only add columns to the GROUP BY."""
    return projets.filter(archive_le__isnull=True).order_by()


def chiffres_projets(projets: QuerySet) -> dict:
    """Counts by axis, theme, phase and phase status; budget; financing plan; expected impact. Three queries.

    `part_securisee` is the financing acquired over the total budget, in per cent (None without a budget).
    """
    projets = _actives(projets)
    comptes = {"fiches": Count("pk"), "fiches_avec_budget": Count("budget")}
    comptes |= {f"axe:{axe}": Count("pk", filter=Q(axe=axe)) for axe in Axe}
    comptes |= {f"statut:{statut}": Count("pk", filter=Q(phase_statut=statut)) for statut in StatutPhase}
    comptes |= {
        f"phase:{phase}:{statut}": Count("pk", filter=Q(phase=phase, phase_statut=statut))
        for phase in PhaseProjet
        for statut in StatutPhase
    }
    sommes = {
        "budget": Sum("budget"),
        "emplois_crees": Sum("emplois_crees"),
        "emplois_maintenus": Sum("emplois_maintenus"),
        "investissement": Sum("investissement"),
        "tco2e_evitees": Sum("tco2e_evitees"),
        "hectares": Sum("hectares"),
    }
    ligne = projets.aggregate(**comptes, **sommes)

    # A fiche carries several themes: each theme counts the fiches that carry it, so the column does not add up.
    themes = Theme.objects.annotate(nombre=Count("projets", filter=Q(projets__in=projets.values("pk")))).order_by(
        "ordre", "libelle"
    )
    financement = LigneFinancement.objects.filter(projet__in=projets.values("pk")).aggregate(
        **{statut.value: Coalesce(Sum("montant", filter=Q(statut=statut)), ZERO) for statut in StatutFinancement}
    )

    phases = []
    for phase in PhaseProjet:
        statuts = [{"code": s.value, "libelle": s.label, "nombre": ligne[f"phase:{phase}:{s}"]} for s in StatutPhase]
        phases.append(
            {
                "code": phase.value,
                "libelle": phase.label,
                "nombre": sum(s["nombre"] for s in statuts),
                "statuts": statuts,
            }
        )
    budget = _montant(ligne["budget"])
    return {
        "fiches": ligne["fiches"],
        "fiches_avec_budget": ligne["fiches_avec_budget"],
        "par_axe": [{"code": a.value, "libelle": a.label, "nombre": ligne[f"axe:{a}"]} for a in Axe],
        "par_theme": [{"code": t.code, "libelle": t.libelle, "nombre": t.nombre} for t in themes],
        "par_phase": phases,
        "par_statut": [{"code": s.value, "libelle": s.label, "nombre": ligne[f"statut:{s}"]} for s in StatutPhase],
        "budget": budget,
        "financement": {
            "sollicite": _montant(financement[StatutFinancement.SOLLICITE]),
            "acquis": _montant(financement[StatutFinancement.ACQUIS]),
            "refuse": _montant(financement[StatutFinancement.REFUSE]),
        },
        "part_securisee": part(financement[StatutFinancement.ACQUIS], budget),
        "impact": {
            "emplois_crees": ligne["emplois_crees"] or 0,
            "emplois_maintenus": ligne["emplois_maintenus"] or 0,
            "investissement": _montant(ligne["investissement"]),
            "tco2e_evitees": _montant(ligne["tco2e_evitees"]),
            "hectares": _montant(ligne["hectares"]),
        },
    }


COLONNES = ("nb_fiches", "budget", "acquis", "emplois_crees", "emplois_maintenus")


class Ligne(SimpleNamespace):
    """A row of a per-territory or per-région table: plain attributes, picklable for the cache."""


def _figures_par_territoire(projets: QuerySet, *, ordre: tuple[str, ...] = (), limite: int | None = None) -> list:
    """The territories that have these (active) fiches, with their figures: two GROUP BY queries, each one pass
    over the fiches (and over the acquired lines), instead of one correlated subquery per territory and per column.

    `ordre` names columns (`nom`, `nb_fiches`, `budget`…), ordered by the database (its collation for names)."""
    groupes = (
        projets.values("territoire")  # grouped by the fiche's column alone: a hash aggregate, no sort of the rows
        .annotate(
            # One value per territory: Min() only carries it through the GROUP BY.
            nom=Min("territoire__nom"),
            identifiant=Min("territoire__identifiant"),
            nb_fiches=Count("pk"),
            budget=Coalesce(Sum("budget"), ZERO, output_field=_MONTANT),
            emplois_crees=Coalesce(Sum("emplois_crees"), 0, output_field=_ENTIER),
            emplois_maintenus=Coalesce(Sum("emplois_maintenus"), 0, output_field=_ENTIER),
        )
        .order_by(*ordre, "territoire")
    )
    lignes = [Ligne(pk=g.pop("territoire"), **g) for g in (groupes[:limite] if limite else groupes)]
    # The acquired lines apart: joined to the fiches' rows, they would repeat each fiche's budget once per line.
    # From the fiches' side, so that their conditions (scope, archive) apply to the joined rows, with no IN (…).
    acquis = projets.filter(financements__statut=StatutFinancement.ACQUIS)
    if limite:
        acquis = acquis.filter(territoire__in=[ligne.pk for ligne in lignes])
    par_territoire = dict(acquis.values_list("territoire").annotate(Sum("financements__montant")).order_by())
    for ligne in lignes:
        ligne.acquis = par_territoire.get(ligne.pk)
    return lignes


def _avec_part(lignes: list) -> list:
    for ligne in lignes:
        ligne.budget, ligne.acquis = _montant(ligne.budget), _montant(ligne.acquis)
        ligne.part_securisee = part(ligne.acquis, ligne.budget)
    return lignes


def par_territoire(projets: QuerySet, *, ordre: tuple[str, ...] = ("nom",), limite: int | None = None) -> list:
    """The territories that have at least one of these fiches, each with `nb_fiches`, `budget`, `acquis`,
    `part_securisee`, `emplois_crees`, `emplois_maintenus` and `nb_regions` (a territory may cross régions).
    Three queries."""
    lignes = _figures_par_territoire(_actives(projets), ordre=ordre, limite=limite)
    liens = Territoire.regions.through.objects.filter(territoire__in=[ligne.pk for ligne in lignes])
    nb_regions = dict(liens.values_list("territoire").annotate(Count("region")).order_by())
    for ligne in lignes:
        ligne.nb_regions = nb_regions.get(ligne.pk, 0)
    return _avec_part(lignes)


def par_region(projets: QuerySet) -> list:
    """The régions of the territories that have these fiches, with the same figures plus `nb_territoires`. Three
    queries: the territories' figures, added up by région.

    A territory may lie in several régions: its fiches then count once in each of them, so the régions' figures
    may add up to more than the national total.
    """
    return _par_region(_figures_par_territoire(_actives(projets)))


def tableaux_du_programme(projets: QuerySet, *, ordre: tuple[str, ...], limite: int) -> tuple[list, list]:
    """`par_region(projets)` and `par_territoire(projets, ordre=ordre, limite=limite)` from the same three queries:
    one pass over the fiches for both tables."""
    territoires = _figures_par_territoire(_actives(projets), ordre=ordre)
    regions = _par_region(territoires)
    return regions, _avec_part(territoires[:limite])


def _par_region(territoires: list) -> list:
    """Adds up the territories' figures by région (one query: the territories' régions); sets each territory's
    `nb_regions` on the way."""
    par_pk = {ligne.pk: ligne for ligne in territoires}
    liens = (
        Territoire.regions.through.objects.filter(territoire__in=list(par_pk))
        .values_list("region", "region__nom", "territoire")
        .order_by("region__nom", "region")
    )
    for ligne in territoires:
        ligne.nb_regions = 0
    regions = {}
    for code, nom, territoire_id in liens:
        region = regions.get(code)
        if region is None:
            region = regions[code] = Ligne(pk=code, code=code, nom=nom, nb_territoires=0, **dict.fromkeys(COLONNES, 0))
        territoire = par_pk[territoire_id]
        territoire.nb_regions += 1
        region.nb_territoires += 1
        for colonne in COLONNES:
            setattr(region, colonne, getattr(region, colonne) + (getattr(territoire, colonne) or 0))
    return _avec_part(list(regions.values()))


def projets_de_la_region(projets: QuerySet, region: Region) -> QuerySet:
    """The fiches of the territories that lie (wholly or partly) in the région, each once."""
    return projets.filter(territoire__in=Territoire.objects.filter(regions=region).values("pk"))


def voit_les_chiffres_de_la_region(user, code: str) -> bool:
    """The national team and the région's own roles (rule « voir_chiffres_region »)."""
    return permissions.peut(user, "voir_chiffres_region", code)
