"""What the missions produced: the fiches-action linked to them and the financing those fiches obtained, summed by
the database (decision 0045).

Obtained, for one fiche: its financing lines marked « acquis », plus the Fonds vert dossiers on it that were decided
(accepted, committed or paid off: the amount committed, else the amount granted; never the aid requested). When a
fiche has a decided Fonds vert dossier, its own lines that name the Fonds vert are left out: the dossier is the record
of that money, and counting both would count it twice."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DecimalField, Exists, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from ti.financements.models import Dossier, Statut
from ti.ingenierie.models import Mission, StatutMission
from ti.projets.models import LigneFinancement, Projet, StatutFinancement

DOSSIERS_DECIDES = (Statut.ACCEPTE, Statut.ENGAGE, Statut.SOLDE)
EUROS = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=EUROS)


def _total(lignes, montant) -> Coalesce:
    """The sum of `montant` over `lignes` (filtered on one fiche), as a scalar subquery; 0 when there is none."""
    somme = lignes.order_by().values("projet").annotate(total=Sum(montant)).values("total")
    return Coalesce(Subquery(somme, output_field=EUROS), ZERO, output_field=EUROS)


def obtenu(fiche: str = "pk") -> Case:
    """The financing obtained by the fiche whose id is the outer query's `fiche` column."""
    dossiers = Dossier.objects.filter(projet=OuterRef(fiche), statut__in=DOSSIERS_DECIDES)
    lignes = LigneFinancement.objects.filter(projet=OuterRef(fiche), statut=StatutFinancement.ACQUIS)
    par_les_dossiers = _total(dossiers, Coalesce("montant_engage", "montant_accorde"))
    return Case(
        When(Exists(dossiers), then=par_les_dossiers + _total(_lignes_hors_fonds_vert(lignes), "montant")),
        default=_total(lignes, "montant"),
        output_field=EUROS,
    )


def _lignes_hors_fonds_vert(lignes):
    return lignes.exclude(dispositif__icontains="fonds vert").exclude(financeur__icontains="fonds vert")


def fiches_de_la_mission(mission: Mission, user):
    """The fiches linked to the mission that the user may see, each with what it obtained."""
    return (
        Projet.objects.visible_to(user)
        .filter(missions_ingenierie=mission)
        .annotate(obtenu=obtenu())
        .order_by("titre")
        .only("pk", "titre", "phase", "territoire_id")
    )


def mobilise_par_mission():
    """An expression for `Mission` querysets: the financing obtained by its fiches (archived ones left out)."""
    liens = Mission.projets.through.objects.filter(mission=OuterRef("pk"), projet__archive_le__isnull=True)
    somme = liens.order_by().values("mission").annotate(total=Sum(obtenu("projet_id"))).values("total")
    return Coalesce(Subquery(somme, output_field=EUROS), ZERO, output_field=EUROS)


def mobilise_dans_la_region(region) -> Decimal:
    """What the fiches linked to the région's missions (cancelled ones excepted) obtained. A fiche linked to two
    missions counts once: the money went to the fiche, not to each mission."""
    liens = Mission.projets.through.objects.filter(mission__territoire__regions=region).exclude(
        mission__statut=StatutMission.ANNULEE
    )
    fiches = Projet.objects.filter(pk__in=liens.values("projet_id"), archive_le__isnull=True)
    return fiches.annotate(obtenu=obtenu()).aggregate(total=Sum("obtenu"))["total"] or Decimal(0)


def en_millions(montant: Decimal) -> str:
    """« 6 M€ », « 6,4 M€ » from one million on; below, in euros the French way (« 450 000 € »)."""
    if montant >= 1_000_000:
        millions = (montant / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        texte = f"{millions:f}".removesuffix(".0").replace(".", ",")
        return f"{texte} M€"
    return f"{montant:,.0f} €".replace(",", "\u202f")
