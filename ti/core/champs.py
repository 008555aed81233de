"""Model fields shared by the domain: amounts in euros and quantities, optional, non-negative and bounded.

Every quantity has a business ceiling, far above any real project yet low enough that the sum of every row of the
programme, at ten times its size, stays exact and never overflows a 64-bit integer (SQLite raises « integer
overflow » on such a SUM) — see docs/decisions/0027-bornes-et-regles-d-argent.md. Forms and importers read the
ceiling from the field (`plafond`), so that one number rules everywhere.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ti.core.formats import nombre

MONTANT_MAX = Decimal("10000000000")  # 10 G€: four times the whole Fonds vert; no single amount comes near
EMPLOIS_MAX = 100_000  # jobs created or maintained by one project: the largest French industrial site has ~20 000
TCO2E_MAX = Decimal("10000000")  # 10 MtCO2e a year: France's largest emitting site is below 5
MWH_MAX = Decimal("100000000")  # 100 TWh a year: a fifth of France's consumption
HECTARES_MAX = Decimal("100000")  # 1 000 km²: more than the largest industrial zone


def borne(plafond, unite: str) -> MaxValueValidator:
    return MaxValueValidator(
        plafond, message=f"La valeur dépasse le plafond de {nombre(plafond)} {unite} : vérifiez-la."
    )


MONTANT = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), borne(MONTANT_MAX, "€")],
}


def plafond(champ: models.Field):
    """The business ceiling of a bounded field (its MaxValueValidator), for forms and importers."""
    return next(v.limit_value for v in champ.validators if isinstance(v, MaxValueValidator))


def quantite(libelle: str, *, plafond, unite: str, max_digits: int = 12) -> models.DecimalField:
    """An optional, non-negative quantity with two decimals (tCO2e, MWh, hectares…), bounded by `plafond`."""
    return models.DecimalField(
        libelle,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), borne(plafond, unite)],
    )


def emplois(libelle: str) -> models.PositiveIntegerField:
    """An optional number of jobs, bounded by EMPLOIS_MAX (the model adds the same CHECK: `contraintes_emplois`)."""
    return models.PositiveIntegerField(libelle, null=True, blank=True, validators=[borne(EMPLOIS_MAX, "emplois")])


class BorneEnBase(models.CheckConstraint):
    """A CHECK held by the database only: the field's validator already tells forms the same bound, in French, so
    Django's model validation does not spend a query per save to check it again."""

    def validate(self, *args, **kwargs):
        return None


def contraintes_emplois(prefixe: str) -> list[models.CheckConstraint]:
    """CHECKs that keep the job counts within EMPLOIS_MAX whatever writes them (imports, bulk updates, admin)."""
    return [
        BorneEnBase(
            name=f"{prefixe}_{champ}_borne",
            condition=models.Q(**{f"{champ}__isnull": True}) | models.Q(**{f"{champ}__lte": EMPLOIS_MAX}),
        )
        for champ in ("emplois_crees", "emplois_maintenus")
    ]
