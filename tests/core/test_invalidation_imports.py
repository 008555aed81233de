"""The writes that send no signal (bulk inserts and updates, raw SQL and deletes) invalidate the cached figures
themselves: the home page's figures show each import right after it.

Each test reads the figures once (they are then in the cache), imports, and reads again: without the import's
`invalider()` the second read would be the cached, stale figure.
"""

import io

import pytest
from django.core.management import call_command

from bench import donnees_synthetiques
from tests.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory, TerritoireFactory
from tests.referentiel.conftest import cog_minimal, ecrire_cog
from ti.referentiel.importer import importer_cog
from ti.referentiel.models import Commune
from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase


def chiffres(client) -> dict:
    return client.get("/api/v1/chiffres").json()


def test_import_du_cog(client, db, tmp_path):
    """A new millésime changes a commune's population: written by a raw UPDATE … FROM (VALUES …)."""
    cog = cog_minimal()
    importer_cog(ecrire_cog(tmp_path / "avant" / "cog-2026", cog))
    TerritoireFactory(communes=[Commune.objects.get(code="45208")])
    assert chiffres(client)["population"] == 14826

    montargis = next(c for c in cog["communes"] if c["code"] == "45208")
    montargis["population"] = 15000
    importer_cog(ecrire_cog(tmp_path / "apres" / "cog-2026", cog))

    assert Commune.objects.get(code="45208").population == 15000
    assert chiffres(client)["population"] == 15000


def test_import_des_territoires(client, db, tmp_path):
    """New territories and their perimeters: bulk inserts."""
    indre = DepartementFactory(code="36", nom="Indre", region=RegionFactory(code="24"))
    CommuneFactory(code="36044", nom="Châteauroux", departement=indre, epci=EpciFactory(), population=43000)
    assert (chiffres(client)["territoires"], chiffres(client)["population"]) == (0, 0)

    fichier = tmp_path / "communes.csv"
    fichier.write_text("insee_com,lib_com,id_ti,lib_ti\n36044,Châteauroux,9901,Châteauroux Métropole\n")
    rapport = importer_territoires(phase=Phase.TEMPS_1, fichier=fichier)

    assert rapport.crees == ["ti1-9901"], rapport.erreurs
    assert (chiffres(client)["territoires"], chiffres(client)["population"]) == (1, 43000)


@pytest.fixture
def referentiel(db):
    """Six EPCI of two communes in one département, none in a territory yet."""
    loiret = DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24"))
    for i in range(6):
        epci = EpciFactory()
        for j in range(2):
            CommuneFactory(code=f"45{i:02d}{j}", departement=loiret, epci=epci, population=1000)


def test_donnees_a_l_echelle_et_leur_nettoyage(client, referentiel):
    """`generate_scale_data` inserts in bulk; its cleaning deletes without Django's collector."""
    assert chiffres(client)["territoires"] == 0

    call_command("generate_scale_data", factor=0.01, seed=1, stdout=io.StringIO())
    generes = chiffres(client)["territoires"]
    assert generes > 0

    donnees_synthetiques.nettoyer()
    assert chiffres(client)["territoires"] == 0
