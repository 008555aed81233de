"""The engineering budget: the national amount of a year, its optional regional shares, and the check every order
goes through (decision 0045). Every step locks the year's budget row first, so that orders and changes of amounts
are checked one after the other, never against a stale total."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from ti.comptes.permissions import exiger
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.ingenierie.models import Budget, Mission, PartRegionale, StatutMission


def _engage(annee: int, **filtre) -> Decimal:
    missions = Mission.objects.filter(annee=annee, **filtre).exclude(statut=StatutMission.ANNULEE)
    return missions.aggregate(total=Sum("montant_ht"))["total"] or Decimal(0)


def verifier_budget(annee: int, montant_ht: Decimal, region) -> None:
    """Within the caller's transaction: the year's budget and, when the région has a share, that share must hold
    the new order (cancelled missions excepted)."""
    budget = Budget.objects.select_for_update().filter(annee=annee).first()
    if budget is None:
        raise Refus(f"Aucun budget national d’ingénierie n’est ouvert pour {annee}.")
    engage = _engage(annee)
    if engage + montant_ht > budget.montant_ht:
        reste = budget.montant_ht - engage
        raise Refus(f"Le budget d’ingénierie {annee} n’y suffit pas : il reste {reste:.2f} € HT à engager.")
    part = budget.parts.filter(region=region).first() if region is not None else None
    if part is not None:
        engage_region = _engage(annee, region=region)
        if engage_region + montant_ht > part.montant_ht:
            reste = part.montant_ht - engage_region
            raise Refus(
                f"La part de la région {region.nom} du budget {annee} n’y suffit pas : "
                f"il reste {reste:.2f} € HT à engager."
            )


@transaction.atomic
def fixer_budget(*, annee: int, montant_ht: Decimal, par) -> Budget:
    """Opens or changes the national budget of a year; never below what is engaged or set aside for the régions."""
    exiger(par, "piloter_mission")
    if montant_ht < 0:
        raise Refus("Le budget ne peut pas être négatif.")
    budget, cree = Budget.objects.select_for_update().get_or_create(annee=annee, defaults={"montant_ht": montant_ht})
    avant = None if cree else budget.montant_ht
    if not cree:
        if montant_ht < (engage := _engage(annee)):
            raise Refus(f"Les commandes de {annee} engagent déjà {engage:.2f} € HT : le budget ne peut descendre plus.")
        parts = budget.parts.aggregate(total=Sum("montant_ht"))["total"] or Decimal(0)
        if montant_ht < parts:
            raise Refus(f"Les parts régionales de {annee} totalisent {parts:.2f} € HT : réduisez-les d’abord.")
        budget.montant_ht = montant_ht
        budget.save(update_fields=["montant_ht"])
    journaliser(
        acteur=par, action="ingenierie.budget_fixe", objet=budget, details={"montant_ht": [str(avant), str(montant_ht)]}
    )
    return budget


@transaction.atomic
def fixer_part_regionale(*, budget: Budget, region, montant_ht: Decimal, par) -> PartRegionale:
    """Sets aside a share of the year's budget for a région: the shares together never exceed the national amount,
    and a share never falls below what the région's orders already engage."""
    exiger(par, "piloter_mission")
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if montant_ht < 0:
        raise Refus("Une part régionale ne peut pas être négative.")
    autres = budget.parts.exclude(region=region).aggregate(total=Sum("montant_ht"))["total"] or Decimal(0)
    if autres + montant_ht > budget.montant_ht:
        raise Refus(
            f"Les parts régionales dépasseraient le budget national {budget.annee} : il reste "
            f"{budget.montant_ht - autres:.2f} € HT à répartir."
        )
    if montant_ht < (engage := _engage(budget.annee, region=region)):
        raise Refus(f"Les commandes de la région {region.nom} engagent déjà {engage:.2f} € HT en {budget.annee}.")
    part, _ = PartRegionale.objects.update_or_create(budget=budget, region=region, defaults={"montant_ht": montant_ht})
    journaliser(
        acteur=par,
        action="ingenierie.part_regionale_fixee",
        objet=budget,
        details={"region": region.code, "montant_ht": str(montant_ht)},
    )
    return part
