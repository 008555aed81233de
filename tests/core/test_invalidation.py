"""Every write to what the home page's figures read shows on the next page, though the figures are cached.

Each test reads the figures once (they are then in the cache), writes one way, and reads again: without the signal
or the call that invalidates, the second read would be the cached, stale figure.
"""

import pytest
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory
from ti.core import invalidation
from ti.territoires.models import CommuneTerritoire


@pytest.fixture
def indre(db):
    return DepartementFactory(code="36", nom="Indre", region=RegionFactory(code="24", nom="Centre-Val de Loire"))


@pytest.fixture
def chateauroux(indre):
    return CommuneFactory(code="36044", nom="Châteauroux", departement=indre, population=43000)


@pytest.fixture
def issoudun(indre):
    return CommuneFactory(code="36088", nom="Issoudun", departement=indre, population=11000)


@pytest.fixture
def territoire(chateauroux):
    return TerritoireFactory(phase=2, nom="Châteauroux Métropole", communes=[chateauroux])


def chiffres(client) -> dict:
    """The key figures as the API serves them (the same cache entry as the home page's)."""
    return client.get("/api/v1/chiffres").json()


def regions(client) -> dict:
    """The home page's links: région → number of territories."""
    return {region.nom: region.nb_territoires for region in client.get(reverse("accueil")).context["regions"]}


def test_les_chiffres_sont_servis_par_le_cache(client, territoire, django_assert_max_num_queries):
    chiffres(client)
    with django_assert_max_num_queries(1):  # the millésime only
        assert chiffres(client)["territoires"] == 1


def test_un_territoire_cree(client, territoire):
    assert chiffres(client)["territoires"] == 1
    TerritoireFactory(phase=1)  # no perimeter: only the territory's own save

    assert chiffres(client)["territoires"] == 2


def test_un_territoire_supprime(client, territoire):
    vide = TerritoireFactory(phase=1)
    assert chiffres(client)["territoires"] == 2
    vide.delete()

    assert chiffres(client)["territoires"] == 1


def test_une_commune_ajoutee_au_perimetre_par_le_lien(client, territoire, issoudun):
    assert chiffres(client)["communes"] == 1
    territoire.communes.add(issoudun, through_defaults={"code_source": "36088"})  # m2m_changed only

    assert chiffres(client)["communes"] == 2


def test_une_commune_ajoutee_au_perimetre_par_sa_ligne(client, territoire, issoudun):
    assert chiffres(client)["population"] == 43000
    territoire.perimetre.create(commune=issoudun, code_source="36088")

    assert chiffres(client)["population"] == 43000 + 11000


def test_une_commune_retiree_du_perimetre(client, territoire, issoudun):
    territoire.perimetre.create(commune=issoudun, code_source="36088")
    assert chiffres(client)["communes"] == 2
    CommuneTerritoire.objects.get(commune=issoudun).delete()

    assert chiffres(client)["communes"] == 1


def test_la_population_d_une_commune_modifiee(client, territoire, chateauroux):
    assert chiffres(client)["population"] == 43000
    chateauroux.population = 44000
    chateauroux.save()

    assert chiffres(client)["population"] == 44000


def test_une_region_renommee(client, territoire, indre):
    assert regions(client) == {"Centre-Val de Loire": 1}
    region = indre.region
    region.nom = "Centre"
    region.save()

    assert regions(client) == {"Centre": 1}


def test_une_region_ajoutee_a_un_territoire(client, territoire):
    bretagne = RegionFactory(code="53", nom="Bretagne")
    assert regions(client)["Bretagne"] == 0
    territoire.regions.add(bretagne)

    assert regions(client)["Bretagne"] == 1


def test_une_region_retiree_d_un_territoire(client, territoire, indre):
    assert regions(client) == {"Centre-Val de Loire": 1}
    territoire.regions.remove(indre.region)

    assert regions(client) == {"Centre-Val de Loire": 0}


def test_chaque_modele_lu_est_branche():
    """The list is connected at start-up (`ti.core.apps`), links included."""
    for nom in invalidation.MODELES:
        modele = apps.get_model(nom)
        assert post_save.has_listeners(modele) and post_delete.has_listeners(modele), nom
    for nom, champ in invalidation.LIENS:
        assert m2m_changed.has_listeners(getattr(apps.get_model(nom), champ).through), (nom, champ)
