from datetime import timedelta

import pytest
from django.utils import timezone

from ti.animation.models import Evenement, TypeEvenement


def creer_evenement(organisateur, **champs) -> Evenement:
    """An atelier in ten days, registrations open for a week, the national network's (not public)."""
    debut = timezone.now() + timedelta(days=10)
    valeurs = {
        "titre": "Atelier décarbonation",
        "type": TypeEvenement.ATELIER,
        "debut": debut,
        "fin": debut + timedelta(hours=3),
        "lieu": "Orléans",
        "capacite": 2,
        "cloture_inscriptions": debut - timedelta(days=3),
        "organisateur": organisateur,
        **champs,
    }
    return Evenement.objects.create(**valeurs)


@pytest.fixture
def atelier(equipe_nationale):
    return creer_evenement(equipe_nationale)
