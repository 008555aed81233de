"""The perimeters file: every commune of every territory, in the layout of the ANCT's open-data files."""

import csv
import io

import pytest

from tests.factories import TerritoireFactory
from tests.html import lire

FICHIER = "/api/v1/territoires.csv"


def _lignes(reponse) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(reponse.streaming_content).decode("utf-8"))))


def test_une_ligne_par_commune_et_par_territoire_dans_la_disposition_de_l_anct(
    client, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        reponse = client.get(FICHIER)
        lignes = _lignes(reponse)

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == 'attachment; filename="territoires-industrie-communes.csv"'
    assert "public" in reponse["Cache-Control"]
    assert list(lignes[0]) == ["insee_com", "lib_com", "id_ti", "lib_ti", "phase", "identifiant", "siren_epci"]
    assert [(ligne["phase"], ligne["id_ti"], ligne["insee_com"]) for ligne in lignes] == sorted(
        (ligne["phase"], ligne["id_ti"], ligne["insee_com"]) for ligne in lignes
    )
    montargis = next(ligne for ligne in lignes if ligne["insee_com"] == "45208")
    assert montargis == {
        "insee_com": "45208",
        "lib_com": "Montargis",
        "id_ti": "2401",
        "lib_ti": "Est du Loiret",
        "phase": "2",
        "identifiant": programme.est_loiret.identifiant,
        "siren_epci": "200067759",
    }
    assert len(lignes) == sum(t.perimetre.count() for t in vars(programme).values())


def test_une_phase_seule(client, programme):
    reponse = client.get(FICHIER, {"phase": 1})

    lignes = _lignes(reponse)
    assert {ligne["lib_ti"] for ligne in lignes} == {"Lorient", "Pithiverais"}
    assert reponse["Content-Disposition"] == 'attachment; filename="territoires-industrie-temps1-communes.csv"'


@pytest.mark.parametrize("phase", ["3", "deux"])
def test_une_phase_inconnue_est_une_erreur_400_en_francais(client, programme, phase):
    reponse = client.get(FICHIER, {"phase": phase})

    assert reponse.status_code == 400
    assert reponse.json()["erreurs"][0]["parametre"] == "phase"


def test_un_nom_qu_un_tableur_prendrait_pour_une_formule_est_neutralise(client, programme):
    TerritoireFactory(code="9999", nom='=HYPERLINK("http://exemple.invalid")', communes=[])
    programme.est_loiret.nom = "=SOMME(A1:A9)"
    programme.est_loiret.save()

    lignes = _lignes(client.get(FICHIER))

    assert {ligne["lib_ti"] for ligne in lignes if ligne["id_ti"] == "2401"} == {"'=SOMME(A1:A9)"}


def test_le_fichier_figure_dans_les_donnees_ouvertes(client, programme):
    page = lire(client.get("/donnees-ouvertes/"))

    assert page.lien("Fichier des périmètres (commune → territoire)").href == FICHIER
