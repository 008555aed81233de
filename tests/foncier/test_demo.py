"""The demo sites clés en main, on the real COG and the demo territories (`manage.py charger_demo`)."""

import pytest
from django.core.management import call_command

from tests.foncier.test_echange import valider
from tests.territoires.test_demo import TEMPS2
from tests.territoires.test_import import vider_la_base
from ti.foncier import echange, selectors
from ti.foncier.demo import SITES, charger_sites_demo
from ti.foncier.models import Site, Terrain
from ti.foncier.selectors import Criteres
from ti.territoires.demo import charger_territoires_cvl
from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase


@pytest.fixture(scope="module")
def cog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
        importer_territoires(phase=Phase.TEMPS_2, fichier=TEMPS2)  # the demo completes the real territories
    yield
    with django_db_blocker.unblock():
        vider_la_base()


pytestmark = pytest.mark.usefixtures("cog")


@pytest.fixture
def demo(db):
    charger_territoires_cvl()
    return charger_sites_demo()


def test_chaque_site_est_dans_un_territoire_de_la_demo(demo):
    assert len(demo) == len(SITES) == Site.objects.count()
    for site in Site.objects.all():
        identifiants = {t.identifiant for t in site.territoires()}
        assert any(i.startswith("ti2-24") for i in identifiants), site.nom
        assert site.commune.region_id == "24"


def test_un_site_de_vingt_hectares_au_moins_avec_le_rail_disponible_sous_douze_mois(demo):
    trouves = selectors.rechercher(Criteres(surface_min=20, rail=True, disponible_sous_mois=12))
    assert [s.nom for s in trouves] == ["Parc industriel des Terres Blanches (démonstration)"]
    assert {t.nom for t in trouves.get().territoires()} == {"Est du Loiret"}


def test_la_demo_se_recharge_sans_doublon(demo):
    assert charger_sites_demo() == []
    assert (Site.objects.count(), Terrain.objects.count()) == (len(SITES), 2 * len(SITES))


def test_la_phrase_des_chiffres_de_la_demo(demo):
    assert selectors.phrase_laureats() == "2 lauréats France 2030, 73 ha"


def test_le_catalogue_de_la_demo_s_exporte_au_standard(demo):
    for classe, texte in (
        ("site-eco", echange.exporter_sites(Site.objects.all())),
        ("terrain-eco", echange.exporter_terrains(Terrain.objects.all())),
    ):
        rapport = valider(classe, texte.encode())
        assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
