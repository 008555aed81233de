"""A small geography with every case the cross-file tool meets: territories of both phases, a commune déléguée, a
former code listed in the COG file, a Corsican commune, two communes of the same name in one département."""

import csv
import gzip
import io
import json
from dataclasses import dataclass

import pytest

from tests.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory, TerritoireFactory
from ti.referentiel.models import CommuneRattachee, Epci, Millesime
from ti.territoires.models import Phase


@dataclass
class Geographie:
    bourg: object
    valserhone: object


@pytest.fixture
def geographie(db, settings, tmp_path) -> Geographie:
    settings.CROISEMENT_DEPOT = tmp_path / "depot"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DONNEES_DIR = tmp_path / "donnees"
    (tmp_path / "donnees" / "cog-2026").mkdir(parents=True)
    cog = [{"code": "01033", "type": "commune-actuelle", "anciensCodes": ["01458", "01091"]}]
    (tmp_path / "donnees" / "cog-2026" / "communes.json.gz").write_bytes(gzip.compress(json.dumps(cog).encode()))
    Millesime.objects.create(annee=2026, source="test", empreinte="-")

    ara = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    ain = DepartementFactory(code="01", nom="Ain", region=ara)
    corse_du_sud = DepartementFactory(code="2A", nom="Corse-du-Sud", region=RegionFactory(code="94", nom="Corse"))
    bassin = EpciFactory(siren="200071751", nom="CA du Bassin de Bourg-en-Bresse", nature=Epci.Nature.CA)
    pays_de_gex = EpciFactory(siren="200067213", nom="CC Pays Bellegardien", nature=Epci.Nature.CC)
    bourg = CommuneFactory(code="01053", nom="Bourg-en-Bresse", departement=ain, epci=bassin)
    valserhone = CommuneFactory(code="01033", nom="Valserhône", departement=ain, epci=pays_de_gex)
    CommuneFactory(code="2A004", nom="Ajaccio", departement=corse_du_sud)
    CommuneFactory(code="01500", nom="Beaulieu", departement=ain)
    CommuneFactory(code="01501", nom="Beaulieu", departement=ain)
    CommuneRattachee.objects.create(
        code="01091", type=CommuneRattachee.Type.DELEGUEE, nom="Châtillon-en-Michaille", chef_lieu=valserhone
    )
    TerritoireFactory(phase=Phase.TEMPS_1, code="8401", nom="Plaine de l’Ain", communes=[bourg])
    TerritoireFactory(phase=Phase.TEMPS_2, code="8401", nom="Bresse et Dombes", communes=[bourg, valserhone])
    TerritoireFactory(phase=Phase.TEMPS_2, code="8402", nom="Bugey Sud", communes=[valserhone])
    return Geographie(bourg=bourg, valserhone=valserhone)


def fichier_csv(lignes: list[list[str]], *, separateur=";", encodage="utf-8") -> bytes:
    tampon = io.StringIO()
    csv.writer(tampon, delimiter=separateur, lineterminator="\r\n").writerows(lignes)
    return tampon.getvalue().encode(encodage)


def lire_resultat(contenu: bytes, separateur=";") -> list[dict]:
    assert contenu.startswith(b"\xef\xbb\xbf"), "le résultat CSV est en UTF-8 avec BOM"
    return list(csv.DictReader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=separateur))
