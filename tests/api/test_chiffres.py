"""GET /api/v1/chiffres: the home page's key figures and the COG millésime."""

import pytest

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory
from ti.referentiel.models import Millesime
from ti.territoires.filiation import recalculer_filiations


def test_les_chiffres_cles_du_programme_et_le_millesime_du_cog(client, programme):
    Millesime.objects.create(annee=2026, source="data/cog-2026", empreinte="0" * 64)

    reponse = client.get("/api/v1/chiffres")

    assert reponse.status_code == 200
    assert "public" in reponse["Cache-Control"]
    chiffres = reponse.json()
    assert chiffres["territoires"] == 4
    # Montargis, Châlette, Bourges, Châteauroux, Le Malesherbois, Lorient
    assert (chiffres["communes"], chiffres["population"]) == (6, 199500)
    assert (chiffres["epci"], chiffres["departements"], chiffres["regions"]) == (5, 4, 2)
    temps_1, temps_2 = chiffres["phases"]
    assert temps_1 == {
        "phase": 1,
        "libelle": "Temps I (2018-2022)",
        "territoires": 2,
        "communes": 2,
        "population": 65500,
        "epci": 2,
        "departements": 2,
        "regions": 2,
    }
    assert (temps_2["phase"], temps_2["territoires"], temps_2["communes"], temps_2["regions"]) == (2, 2, 4, 1)
    assert chiffres["millesime_cog"]["annee"] == 2026


def test_une_commune_de_deux_territoires_compte_une_fois(client, programme):
    TerritoireFactory(phase=2, code="2499", nom="Doublon", communes=[programme.est_loiret.communes.first()])

    chiffres = client.get("/api/v1/chiffres").json()

    assert (chiffres["territoires"], chiffres["communes"]) == (5, 6)


def test_la_continuite_du_temps_1_au_temps_2(client, programme):
    TerritoireFactory(phase=1, code="2403", nom="Montargois", communes=[programme.est_loiret.communes.first()])
    recalculer_filiations()

    continuite = client.get("/api/v1/chiffres").json()["continuite"]

    assert continuite == {
        "temps2": 2,
        "temps2_heritiers": 1,  # Est du Loiret
        "temps2_nouveaux": 1,  # Berry industriel
        "temps1": 3,
        "temps1_poursuivis": 1,
        "temps1_non_poursuivis": 2,  # Pithiverais, Lorient
    }


def test_sans_referentiel_importe_le_millesime_est_nul(client, db):
    chiffres = client.get("/api/v1/chiffres").json()

    assert chiffres["millesime_cog"] is None
    assert chiffres["territoires"] == chiffres["communes"] == chiffres["population"] == 0


@pytest.mark.parametrize("nombre", [3, 30])
def test_les_chiffres_en_requetes_bornees(client, db, django_assert_max_num_queries, nombre):
    indre = DepartementFactory(code="36", nom="Indre", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    for i in range(nombre):
        TerritoireFactory(phase=1 + i % 2, communes=[CommuneFactory(code=f"36{i:03d}", departement=indre)])
    Millesime.objects.create(annee=2026, source="data/cog-2026", empreinte="0" * 64)

    # territories per phase, the perimeter of each phase and of all, the continuity, the millésime
    with django_assert_max_num_queries(6):
        chiffres = client.get("/api/v1/chiffres").json()
    with django_assert_max_num_queries(1):  # then the figures from the cache, the millésime read
        assert client.get("/api/v1/chiffres").json() == chiffres

    assert chiffres["territoires"] == chiffres["communes"] == nombre


def test_le_json_est_annonce_en_utf8_une_seule_fois(client, db):
    reponse = client.get("/api/v1/chiffres")
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
