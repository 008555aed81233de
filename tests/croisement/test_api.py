"""`POST /api/v1/croisement`: the same tool in one call, documented in the OpenAPI document, errors in French."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from ti.core import tableaux_flux
from ti.croisement import depot

from .conftest import fichier_csv, lire_resultat

URL = "/api/v1/croisement"


def test_csv_croise_en_flux(client, geographie, django_assert_max_num_queries):
    contenu = fichier_csv(
        [["id", "code"], *[[str(n), "01053" if n % 2 else "01458"] for n in range(300)]], separateur=","
    )
    with django_assert_max_num_queries(6):
        reponse = client.post(URL, {"fichier": SimpleUploadedFile("aides.csv", contenu), "colonne_code": "code"})
        lignes = lire_resultat(b"".join(reponse.streaming_content), separateur=",")
    assert reponse.status_code == 200 and reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert [ligne["id"] for ligne in lignes] == [str(n) for n in range(300)]
    assert {ligne["ti_code_commune"] for ligne in lignes} == {"01053", "01033"}
    assert list(depot.dossier().iterdir()) == []


def test_xlsx_par_nom_et_departement(client, geographie):
    classeur = openpyxl.Workbook()
    classeur.active.append(["Commune", "Département"])
    classeur.active.append(["Bourg-en-Bresse", 1])
    tampon = io.BytesIO()
    classeur.save(tampon)
    fichier = SimpleUploadedFile("sites.xlsx", tampon.getvalue())

    reponse = client.post(URL, {"fichier": fichier, "colonne_nom": "commune", "colonne_departement": "département"})

    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == 'attachment; filename="sites-territoires-industrie.xlsx"'
    lignes = list(openpyxl.load_workbook(io.BytesIO(b"".join(reponse.streaming_content))).active.values)
    assert lignes[1][:3] == ("Bourg-en-Bresse", 1, "01053")
    assert list(depot.dossier().iterdir()) == []


def test_colonne_absente_400_en_francais(client, geographie):
    fichier = SimpleUploadedFile("aides.csv", fichier_csv([["insee"], ["01053"]]))
    reponse = client.post(URL, {"fichier": fichier, "colonne_code": "code_commune"})
    assert reponse.status_code == 400
    assert reponse.json()["detail"] == (
        "Fichier refusé : aucune colonne « code_commune » dans le fichier ; ses colonnes : « insee »."
    )
    assert reponse.json()["erreurs"][0]["parametre"] == "colonne_code"
    assert list(depot.dossier().iterdir()) == []


def test_fichier_illisible_400_en_francais(client, geographie):
    fichier = SimpleUploadedFile("aides.csv", b"code\n01053\x81\n")
    reponse = client.post(URL, {"fichier": fichier, "colonne_code": "code"})
    assert reponse.status_code == 400
    assert "ni UTF-8 ni Windows-1252" in reponse.json()["detail"]


def test_sans_fichier_400(client, geographie):
    reponse = client.post(URL, {"colonne_code": "code"})
    assert reponse.status_code == 400
    assert reponse.json()["erreurs"][0]["parametre"] == "fichier"


def test_documente_dans_l_openapi(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/croisement"]["post"]
    assert operation["summary"] == "Croiser un fichier avec les Territoires d’industrie"
    assert set(operation["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert "colonne_code" in str(operation["requestBody"])


def test_classeur_sans_dimension_trop_long_400_avant_tout_envoi(client, geographie, monkeypatch):
    monkeypatch.setattr(tableaux_flux, "LIGNES_MAX_XLSX", 2)
    classeur = openpyxl.Workbook(write_only=True)  # writes no declared size: rows are counted while read
    feuille = classeur.create_sheet()
    for ligne in (["code"], [1053], [1053], [1053]):
        feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)

    reponse = client.post(URL, {"fichier": SimpleUploadedFile("long.xlsx", tampon.getvalue()), "colonne_code": "code"})

    assert reponse.status_code == 400
    assert "le classeur compte plus de 2 lignes de données" in reponse.json()["detail"]
    assert list(depot.dossier().iterdir()) == []
