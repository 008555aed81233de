"""Shared Fonds vert fixtures: a phase 2 territory in Centre-Val de Loire, the dispositif, its CVL envelope, personas.

Names are stable: every financements test module relies on them.
"""

import pytest

from ti.comptes.models import Role

from ..factories import (
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    EnveloppeFactory,
    HabilitationFactory,
    TerritoireFactory,
    utilisateur_avec,
)

SIRET_PORTEUR = "73282932000074"  # valid Luhn key
SIRET_AUTRE_PORTEUR = "35600000000048"  # La Poste's key (digit sum multiple of 5), valid too


@pytest.fixture
def loiret(cvl):
    return DepartementFactory(code="45", nom="Loiret", region=cvl)


@pytest.fixture
def montargis(loiret):
    return CommuneFactory(code="45208", nom="Montargis", departement=loiret, population=14000)


@pytest.fixture
def amilly(loiret):
    return CommuneFactory(code="45004", nom="Amilly", departement=loiret, population=13000)


@pytest.fixture
def territoire_fv(montargis, amilly):
    """A phase 2 territory of Centre-Val de Loire whose perimeter holds Montargis and Amilly."""
    return TerritoireFactory(nom="Montargis-Gâtinais", code="2499", communes=[montargis, amilly])


@pytest.fixture
def dispositif(db):
    return DispositifFactory()


@pytest.fixture
def enveloppe_cvl(dispositif, cvl):
    return EnveloppeFactory(dispositif=dispositif, region=cvl, annee=dispositif.annee)


@pytest.fixture
def porteur(db):
    """A porteur de projet habilitated for SIRET_PORTEUR."""
    return HabilitationFactory(role=Role.PORTEUR, siret=SIRET_PORTEUR, organisme="Fonderie du Gâtinais").utilisateur


@pytest.fixture
def autre_porteur(db):
    return HabilitationFactory(role=Role.PORTEUR, siret=SIRET_AUTRE_PORTEUR, organisme="Autre structure").utilisateur


@pytest.fixture
def binome_territoire(territoire_fv):
    return utilisateur_avec(Role.BINOME, territoire=territoire_fv)
