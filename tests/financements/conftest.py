"""Shared Fonds vert fixtures: a phase 2 territory in Centre-Val de Loire, the dispositif, its CVL envelope, personas.

Names are stable: every financements test module relies on them.
"""

import pytest

from ti.comptes.models import Role
from ti.territoires.models import Phase

from ..factories import (
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    EnveloppeFactory,
    HabilitationFactory,
    RegionFactory,
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


@pytest.fixture
def referentiel_exemple(territoire_fv, montargis, loiret, cvl):
    """The communes of the example file (all but 08999), Montargis also in a phase 1 territory, Vierzon in none."""
    cher = DepartementFactory(code="18", nom="Cher", region=cvl)
    indre = DepartementFactory(code="36", nom="Indre", region=cvl)
    indre_et_loire = DepartementFactory(code="37", nom="Indre-et-Loire", region=cvl)
    ain = DepartementFactory(code="01", nom="Ain", region=RegionFactory(code="84", nom="Auvergne-Rhône-Alpes"))
    finistere = DepartementFactory(code="29", nom="Finistère", region=RegionFactory(code="53", nom="Bretagne"))
    DepartementFactory(code="08", nom="Ardennes", region=RegionFactory(code="44", nom="Grand Est"))
    CommuneFactory(code="18279", nom="Vierzon", departement=cher)
    issoudun = CommuneFactory(code="36088", nom="Issoudun", departement=indre)
    CommuneFactory(code="37261", nom="Tours", departement=indre_et_loire)
    oyonnax = CommuneFactory(code="01283", nom="Oyonnax", departement=ain)
    CommuneFactory(code="29019", nom="Brest", departement=finistere)
    ancien = TerritoireFactory(phase=Phase.TEMPS_1, code="2401", nom="Montargis (Temps I)", communes=[montargis])
    TerritoireFactory(nom="Issoudun", code="2402", communes=[issoudun])
    TerritoireFactory(nom="Oyonnax", code="8401", communes=[oyonnax])
    return {"territoire_fv": territoire_fv, "ancien": ancien}
