"""The national engineering budget of a year and its optional regional shares (decision 0045)."""

from django.db import models

from ti.ingenierie.models import EUROS
from ti.referentiel.models import Region


class Budget(models.Model):
    """The national engineering budget of a year: the orders of that year's missions (excl. VAT, cancelled ones
    excepted) never exceed it (`ti.ingenierie.actions.commander_mission` locks this row to check)."""

    annee = models.PositiveSmallIntegerField("année", unique=True)
    montant_ht = models.DecimalField("montant HT (€)", **EUROS)

    class Meta:
        verbose_name = "budget national d’ingénierie"
        verbose_name_plural = "budgets nationaux d’ingénierie"
        ordering = ["-annee"]

    def __str__(self):
        return f"Budget d’ingénierie {self.annee}"


class PartRegionale(models.Model):
    """The share of a year's national budget set aside for one région: its missions' orders never exceed it, and the
    shares together never exceed the national amount (`ti.ingenierie.actions_budget`)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="parts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="région")
    montant_ht = models.DecimalField("montant HT (€)", **EUROS)

    class Meta:
        verbose_name = "part régionale du budget d’ingénierie"
        verbose_name_plural = "parts régionales du budget d’ingénierie"
        ordering = ["budget", "region__nom"]
        constraints = [models.UniqueConstraint(fields=["budget", "region"], name="part_regionale_unique")]

    def __str__(self):
        return f"{self.region} — {self.budget}"
