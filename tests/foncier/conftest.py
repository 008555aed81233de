from datetime import date
from decimal import Decimal

import factory
import pytest

from tests.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory
from ti.foncier.models import Site, StatutSite, Vague

CARRE = '{"type": "Polygon", "coordinates": [[[2.73, 47.99], [2.74, 47.99], [2.74, 48.0], [2.73, 47.99]]]}'


class SiteFactory(factory.django.DjangoModelFactory):
    """A site clé en main, in the territories of its commune."""

    class Meta:
        model = Site

    identifiant = factory.Sequence(lambda n: f"45208_SITE-ECO_{n:05d}")
    pole_id = "45208_POLE-ECO_00001"
    nom = factory.Sequence(lambda n: f"Parc d’activités exemple {n}")
    vocation = "industrie"
    etat = "en commercialisation"
    surface_brute = Decimal("30")
    surface_utile = Decimal("25")
    date_identification = date(2024, 4, 1)
    date_actualisation = date(2026, 1, 15)
    commune = factory.SubFactory(CommuneFactory)
    epci = factory.SelfAttribute("commune.epci")
    longitude = 2.733
    latitude = 47.998
    vague = Vague.FRANCE_2030
    statut = StatutSite.LABELLISE
    disponible_immediatement = True
    complements = factory.LazyFunction(lambda: {"site_geomsurf": CARRE})


@pytest.fixture
def montargis(territoire_cvl):
    return territoire_cvl.communes.get(code="45208")


@pytest.fixture
def site_cvl(montargis):
    return SiteFactory(commune=montargis, nom="Parc industriel d’Amilly", embranchement_fer=True)


@pytest.fixture
def somme(db):
    """The commune and EPCI of the CNIG examples (Argœuves, CC Nièvre et Somme)."""
    hdf = RegionFactory(code="32", nom="Hauts-de-France")
    epci = EpciFactory(siren="200071223", nom="CC Nièvre et Somme")
    return CommuneFactory(
        code="80024", nom="Argœuves", departement=DepartementFactory(code="80", nom="Somme", region=hdf), epci=epci
    )
