"""Model fields shared by the domain: amounts in euros and non-negative quantities, both optional."""

from django.core.validators import MinValueValidator
from django.db import models

MONTANT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def quantite(libelle: str, *, max_digits: int = 12) -> models.DecimalField:
    """An optional, non-negative quantity with two decimals (tCO2e, MWh, hectares…)."""
    return models.DecimalField(
        libelle, max_digits=max_digits, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
