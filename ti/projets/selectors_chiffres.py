"""Figures of fiches-action: a territory's, a région's, the programme's. Computed by the database.

Every function takes the fiches a user may see (`Projet.objects.visible_to(user)`, narrowed as the page needs) and
answers in a fixed number of queries, whatever the number of fiches, territories or financing lines.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ti.comptes import permissions
from ti.comptes.models import ROLES_REGIONAUX
from ti.projets.models import Axe, LigneFinancement, PhaseProjet, StatutFinancement, StatutPhase, Theme
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

ZERO = Decimal("0.00")
CENTIME = Decimal("0.01")
_MONTANT = DecimalField(max_digits=16, decimal_places=2)
_ENTIER = IntegerField()


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


def _total(sous_requete: QuerySet, expression, output_field, fonction: str = "SUM"):
    """One correlated SUM (or COUNT) per outer row. Correlated subqueries, not joins: a join through the financing
    lines would repeat each fiche's budget once per line."""
    valeur = sous_requete.order_by().values(total=Func(expression, function=fonction, output_field=output_field))
    zero = ZERO if isinstance(output_field, DecimalField) else 0
    return Coalesce(Subquery(valeur, output_field=output_field), Value(zero, output_field=output_field))


def _colonnes(projets: QuerySet, lien: str) -> dict:
    """The per-row figures; `lien` leads from a fiche to the outer row (« territoire », « territoire__regions »)."""
    les_siens = projets.filter(**{lien: OuterRef("pk")})
    acquis = LigneFinancement.objects.filter(
        statut=StatutFinancement.ACQUIS, projet__in=projets.values("pk"), **{f"projet__{lien}": OuterRef("pk")}
    )
    return {
        "nb_fiches": _total(les_siens, F("pk"), _ENTIER, "COUNT"),
        "budget": _total(les_siens, F("budget"), _MONTANT),
        "acquis": _total(acquis, F("montant"), _MONTANT),
        "emplois_crees": _total(les_siens, F("emplois_crees"), _ENTIER),
        "emplois_maintenus": _total(les_siens, F("emplois_maintenus"), _ENTIER),
    }


def _avec_part(lignes: list) -> list:
    for ligne in lignes:
        ligne.budget, ligne.acquis = _montant(ligne.budget), _montant(ligne.acquis)
        ligne.part_securisee = part(ligne.acquis, ligne.budget)
    return lignes


def par_territoire(projets: QuerySet, *, ordre: tuple[str, ...] = ("nom",), limite: int | None = None) -> list:
    """The territories that have at least one of these fiches, each with `nb_fiches`, `budget`, `acquis`,
    `part_securisee`, `emplois_crees`, `emplois_maintenus` and `nb_regions` (a territory may cross régions).
    One query."""
    projets = _actives(projets)
    territoires = (
        Territoire.objects.filter(pk__in=projets.values("territoire"))
        .annotate(
            **_colonnes(projets, "territoire"),
            nb_regions=_total(
                Territoire.regions.through.objects.filter(territoire=OuterRef("pk")), F("pk"), _ENTIER, "COUNT"
            ),
        )
        .order_by(*ordre, "pk")
    )
    return _avec_part(list(territoires[:limite] if limite else territoires))


def par_region(projets: QuerySet) -> list:
    """The régions of the territories that have these fiches, with the same figures plus `nb_territoires`. One query.

    A territory may lie in several régions: its fiches then count once in each of them, so the régions' figures
    may add up to more than the national total.
    """
    projets = _actives(projets)
    territoires_concernes = Territoire.objects.filter(pk__in=projets.values("territoire"))
    regions = (
        Region.objects.filter(
            pk__in=Territoire.regions.through.objects.filter(territoire__in=territoires_concernes).values("region")
        )
        .annotate(
            nb_territoires=_total(territoires_concernes.filter(regions=OuterRef("pk")), F("pk"), _ENTIER, "COUNT"),
            **_colonnes(projets, "territoire__regions"),
        )
        .order_by("nom")
    )
    return _avec_part(list(regions))


def projets_de_la_region(projets: QuerySet, region: Region) -> QuerySet:
    """The fiches of the territories that lie (wholly or partly) in the région, each once."""
    return projets.filter(territoire__in=Territoire.objects.filter(regions=region).values("pk"))


def regions_du_perimetre(user) -> set[str] | None:
    """The régions whose figures the user reads: None for the national team (all of them), else the régions of
    their regional habilitations (instructeur, expert ADEME, référent Conseil régional). A territory's role gives none:
    a chef de projet reads their territory's figures, not their neighbours'."""
    if permissions.est_equipe_nationale(user):
        return None
    return {h.region_id for h in permissions.habilitations(user) if h.role in ROLES_REGIONAUX}


def voit_les_chiffres_de_la_region(user, code: str) -> bool:
    perimetre = regions_du_perimetre(user)
    return perimetre is None or code in perimetre
