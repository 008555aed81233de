"""Read queries of the foncier part: the catalogue's search and its facets, and the figures of ready land.
Every count and sum is computed by the database."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ti.core.formats import nombre
from ti.foncier.models import Site, StatutSite, Vague, communes_des_territoires
from ti.territoires.models import CommuneTerritoire, Phase, Territoire

ZERO_HA = Coalesce(Sum("surface_utile"), Decimal(0))


@dataclass(frozen=True)
class Criteres:
    """The catalogue's filters, as the search form cleans them (None: not filtered)."""

    surface_min: Decimal | None = None
    surface_max: Decimal | None = None
    region: str | None = None
    territoire: str | None = None  # its identifiant, « ti2-2401 »
    disponible_sous_mois: int | None = None
    rail: bool = False
    port: bool = False
    puissance_min: Decimal | None = None
    vague: str | None = None


def dans_n_mois(jour: date, mois: int) -> date:
    """The same day `mois` months later (the month's last day when it is shorter: 31 January + 1 → 28 February)."""
    annee, rang = divmod(jour.month - 1 + mois, 12)
    annee += jour.year
    return date(annee, rang + 1, min(jour.day, calendar.monthrange(annee, rang + 1)[1]))


def rechercher(criteres: Criteres, *, aujourd_hui: date | None = None):
    sites = Site.objects.all()
    if criteres.surface_min is not None:
        sites = sites.filter(surface_utile__gte=criteres.surface_min)
    if criteres.surface_max is not None:
        sites = sites.filter(surface_utile__lte=criteres.surface_max)
    if criteres.region:
        sites = sites.filter(commune__region_id=criteres.region)
    if criteres.territoire:
        territoire = Territoire.objects.filter(identifiant=criteres.territoire)
        sites = sites.filter(commune_id__in=communes_des_territoires(territoire))
    if criteres.disponible_sous_mois is not None:
        limite = dans_n_mois(aujourd_hui or timezone.localdate(), criteres.disponible_sous_mois)
        sites = sites.filter(Q(disponible_immediatement=True) | Q(disponible_le__lte=limite))
    if criteres.rail:
        sites = sites.filter(embranchement_fer=True)
    if criteres.port:
        sites = sites.filter(acces_portuaire=True)
    if criteres.puissance_min is not None:
        sites = sites.filter(puissance_mw__gte=criteres.puissance_min)
    if criteres.vague:
        sites = sites.filter(vague=criteres.vague)
    return sites


def facettes(sites) -> dict:
    """Counts of the results by région, label and access, in three queries."""
    sites = sites.order_by()
    par_region = sites.values("commune__region_id", "commune__region__nom").annotate(n=Count("pk"))
    par_vague = dict(sites.values_list("vague").annotate(n=Count("pk")))
    acces = sites.aggregate(
        rail=Count("pk", filter=Q(embranchement_fer=True)),
        port=Count("pk", filter=Q(acces_portuaire=True)),
        immediat=Count("pk", filter=Q(disponible_immediatement=True)),
    )
    return {
        "regions": sorted(
            ((r["commune__region_id"], r["commune__region__nom"], r["n"]) for r in par_region), key=lambda r: r[1]
        ),
        "vagues": [(code, libelle, par_vague[code]) for code, libelle in Vague.choices if par_vague.get(code)],
        "acces": acces,
    }


def chiffres(sites=None) -> dict:
    """Sites and ready hectares (surface utile) by label, région, territory and status."""
    sites = (sites if sites is not None else Site.objects.all()).order_by()
    return {
        "total": sites.aggregate(n=Count("pk"), ha=ZERO_HA),
        "vagues": _libelles(sites.values("vague").annotate(n=Count("pk"), ha=ZERO_HA), "vague", Vague),
        "statuts": _libelles(sites.values("statut").annotate(n=Count("pk"), ha=ZERO_HA), "statut", StatutSite),
        "regions": [
            {**ligne, "libelle": ligne["commune__region__nom"]}
            for ligne in sites.values("commune__region_id", "commune__region__nom")
            .annotate(n=Count("pk"), ha=ZERO_HA)
            .order_by("commune__region__nom")
        ],
        "territoires": [
            {**ligne, "libelle": f"{ligne['territoire__nom']} ({Phase(ligne['territoire__phase']).label})"}
            for ligne in CommuneTerritoire.objects.filter(commune__sites_eco__in=sites)
            .values("territoire__identifiant", "territoire__nom", "territoire__phase")
            .annotate(n=Count("commune__sites_eco"), ha=Coalesce(Sum("commune__sites_eco__surface_utile"), Decimal(0)))
            .order_by("territoire__phase", "territoire__nom")
        ],
    }


def _libelles(lignes, cle: str, choix) -> list[dict]:
    libelles = dict(choix.choices)
    return sorted(({**ligne, "libelle": libelles[ligne[cle]]} for ligne in lignes), key=lambda ligne: ligne["libelle"])


def phrase_laureats(vague: str = Vague.FRANCE_2030) -> str:
    """« 55 lauréats France 2030, 3 342 ha » — computed from the records of that label."""
    total = Site.objects.filter(vague=vague).aggregate(n=Count("pk"), ha=ZERO_HA)
    n, ha = total["n"], round(total["ha"])
    libelle = Vague(vague).label.split(" (")[0]
    pluriel = "s" if n > 1 else ""
    return f"{nombre(n)} lauréat{pluriel} {libelle}, {nombre(ha)} ha"
