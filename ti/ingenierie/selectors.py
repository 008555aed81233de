"""Figures of the engineering part, computed from the missions recorded (never written by hand)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ti.ingenierie.models import Budget, Livrable, Mission, Phase, StatutLivrable, StatutMission, TypeMission
from ti.ingenierie.resultats import en_millions, mobilise_dans_la_region
from ti.territoires.models import Territoire

EN_VIE = Q(statut__in=[StatutMission.A_LANCER, StatutMission.EN_COURS, StatutMission.EN_PAUSE])


def _liste(noms: list[str]) -> str:
    return noms[0] if len(noms) == 1 else f"{', '.join(noms[:-1])} et {noms[-1]}"


def phrase_missions_region(region) -> str:
    """« 2 missions choc industriel en 2022 sur A et B ; 3 missions rebond industriel depuis 2023 sur C, D et E ;
    6 M€ mobilisés. »
    A kind whose missions are all over reads « en <year> » (or « de … à … »); one still running, « depuis ».
    Cancelled missions do not count. One query, grouped by kind and territory; the kinds' totals add its rows; one
    more for the financing obtained by the fiches linked to the missions (`ti.ingenierie.resultats`)."""
    missions = Mission.objects.filter(territoire__in=Territoire.objects.filter(regions=region).values("pk"))
    lignes = (
        missions.exclude(statut=StatutMission.ANNULEE)
        .values("type", "territoire__nom")
        .annotate(nombre=Count("pk"), debut=Min("annee"), fin=Max("annee"), en_vie=Count("pk", filter=EN_VIE))
        .order_by("territoire__nom")
    )
    par_type: dict[str, dict] = {}
    for ligne in lignes:
        total = par_type.setdefault(ligne["type"], {"nombre": 0, "debut": ligne["debut"], "fin": 0, "en_vie": 0})
        total["nombre"] += ligne["nombre"]
        total["en_vie"] += ligne["en_vie"]
        total["debut"] = min(total["debut"], ligne["debut"])
        total["fin"] = max(total["fin"], ligne["fin"])
        total.setdefault("noms", []).append(ligne["territoire__nom"])
    morceaux = []
    for type_ in TypeMission:
        if (total := par_type.get(type_)) is None:
            continue
        if total["en_vie"]:
            quand = f"depuis {total['debut']}"
        elif total["debut"] == total["fin"]:
            quand = f"en {total['debut']}"
        else:
            quand = f"de {total['debut']} à {total['fin']}"
        mission = "mission" if total["nombre"] == 1 else "missions"
        morceaux.append(f"{total['nombre']} {mission} {type_.label.lower()} {quand} sur {_liste(total['noms'])}")
    if not morceaux:
        return ""
    if mobilise := mobilise_dans_la_region(region):
        morceaux.append(f"{en_millions(mobilise)} mobilisés")
    return " ; ".join(morceaux) + "."


def budgets_et_engagements():
    """Each year's national budget with what the orders of that year engage (cancelled missions excepted), in SQL."""
    engage = (
        Mission.objects.filter(annee=OuterRef("annee"))
        .exclude(statut=StatutMission.ANNULEE)
        .order_by()
        .values("annee")
        .annotate(total=Sum("montant_ht"))
        .values("total")
    )
    engage = Coalesce(Subquery(engage), Value(Decimal(0)), output_field=DecimalField())
    return Budget.objects.annotate(engage=engage).annotate(reste=F("montant_ht") - F("engage"))


AXES_DE_CONSOMMATION = {
    "region": ("region__nom", "Région"),
    "territoire": ("territoire__nom", "Territoire"),
    "type": ("type", "Type de mission"),
    "cabinet": ("cabinet", "Cabinet"),
}


def consommation(annee: int, axe: str) -> list[dict]:
    """The year's orders (cancelled missions excepted) grouped by région, territory, kind or firm, in SQL: count,
    amount engaged excl. VAT, days planned and consumed."""
    champ, _ = AXES_DE_CONSOMMATION[axe]
    lignes = (
        Mission.objects.filter(annee=annee)
        .exclude(statut=StatutMission.ANNULEE)
        .values(cle=F(champ))
        .annotate(
            nombre=Count("pk"),
            engage=Sum("montant_ht"),
            jours_prevus=Sum("jours_prevus"),
            jours_consommes=Sum("jours_consommes"),
        )
        .order_by("-engage", "cle")
    )
    libelles = dict(TypeMission.choices) if axe == "type" else {}
    return [{**ligne, "cle": libelles.get(ligne["cle"], ligne["cle"]) or "Sans région"} for ligne in lignes]


def parts_regionales(budget) -> list[dict]:
    """Each regional share of the budget with what the région's orders of the year engage (one query)."""
    engage = (
        Mission.objects.filter(annee=budget.annee, region=OuterRef("region"))
        .exclude(statut=StatutMission.ANNULEE)
        .order_by()
        .values("region")
        .annotate(total=Sum("montant_ht"))
        .values("total")
    )
    parts = budget.parts.select_related("region").annotate(
        engage=Coalesce(Subquery(engage), Value(Decimal(0)), output_field=DecimalField())
    )
    return [{"part": part, "engage": part.engage, "reste": part.montant_ht - part.engage} for part in parts]


def phases_en_retard(missions, aujourd_hui, limite: int = 100) -> list:
    """The phases of running missions whose due date is past and whose deliverable is not validated yet."""
    valide = Livrable.objects.filter(phase=OuterRef("pk"), statut=StatutLivrable.VALIDE)
    return list(
        Phase.objects.filter(mission__in=missions.filter(EN_VIE).values("pk"), echeance__lt=aujourd_hui)
        .exclude(Exists(valide))
        .select_related("mission__territoire")
        .order_by("echeance", "pk")[:limite]
    )
