"""The public page: upload, choose the column from the first rows, download; no login, bounded queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ti.croisement import depot

from .conftest import fichier_csv, lire_resultat

URL = reverse("croisement:deposer")


def _deposer(client, contenu: bytes, nom="aides.csv"):
    return client.post(URL, {"fichier": SimpleUploadedFile(nom, contenu)})


def test_l_accueil_et_le_menu_menent_a_la_page(client, geographie):
    accueil = client.get(reverse("accueil")).content.decode()
    assert accueil.count(f'href="{URL}"') >= 3  # home page section, menu, footer
    page = client.get(URL)
    assert page.status_code == 200
    assert "<h1>Croiser un fichier avec les Territoires d’industrie</h1>" in page.content.decode()


def test_deposer_puis_choisir_puis_telecharger(client, geographie, django_assert_max_num_queries):
    reponse = _deposer(client, fichier_csv([["Bénéficiaire", "Code INSEE"], ["Scierie", "1053"], ["Forge", "x"]]))
    assert reponse.status_code == 302
    choix = client.get(reponse.url)
    html = choix.content.decode()
    assert "<td>Scierie</td>" in html and "2 lignes de données" in html
    assert '<option value="Code INSEE" selected>' in html  # the code column guessed

    with django_assert_max_num_queries(8):
        resultat = client.post(reponse.url, {"mode": "code", "colonne_code": "Code INSEE"})
        contenu = b"".join(resultat.streaming_content)
    assert resultat["Content-Disposition"] == 'attachment; filename="aides-territoires-industrie.csv"'
    lignes = lire_resultat(contenu)
    assert [(ligne["Bénéficiaire"], ligne["ti_code_commune"]) for ligne in lignes] == [
        ("Scierie", "01053"),
        ("Forge", ""),
    ]
    assert list(depot.dossier().iterdir()) == []  # the file is gone once downloaded
    assert default_storage.listdir(depot.DOSSIER_STOCKAGE)[1] == []  # from the shared storage too


def test_le_second_pas_sur_un_autre_serveur(client, geographie, settings, tmp_path):
    """The upload reached one application server, the choice another one: the file comes from the storage."""
    reponse = _deposer(client, fichier_csv([["Bénéficiaire", "Code INSEE"], ["Scierie", "01053"]]))
    settings.CROISEMENT_DEPOT = tmp_path / "autre-serveur"  # an empty local directory, as on the other server
    resultat = client.post(reponse.url, {"mode": "code", "colonne_code": "Code INSEE"})
    lignes = lire_resultat(b"".join(resultat.streaming_content))
    assert [(ligne["Bénéficiaire"], ligne["ti_code_commune"]) for ligne in lignes] == [("Scierie", "01053")]
    assert default_storage.listdir(depot.DOSSIER_STOCKAGE)[1] == []


def test_un_depot_perime_est_retire_du_stockage(client, geographie, time_machine):
    reponse = _deposer(client, fichier_csv([["Bénéficiaire", "Code INSEE"], ["Scierie", "01053"]]))
    time_machine.move_to(datetime.now(UTC) + timedelta(seconds=depot.DUREE + 60))
    _deposer(client, fichier_csv([["Bénéficiaire", "Code INSEE"], ["Forge", "01053"]]))  # sweeps the stale ones
    assert len(default_storage.listdir(depot.DOSSIER_STOCKAGE)[1]) == 2  # the new file and its examination
    assert client.get(reponse.url, follow=True).redirect_chain[-1][0] == URL


def test_un_jeton_inconnu_ou_deja_utilise_renvoie_au_depot(client, geographie):
    reponse = client.get(reverse("croisement:choisir", args=["x" * 43]), follow=True)
    assert reponse.redirect_chain[-1][0] == URL
    assert "Le fichier déposé n’est plus disponible" in reponse.content.decode()


def test_un_choix_incomplet_est_signale(client, geographie):
    reponse = _deposer(client, fichier_csv([["ville", "dep"], ["Bourg-en-Bresse", "01"]]))
    page = client.post(reponse.url, {"mode": "nom", "colonne_nom": "ville", "colonne_departement": ""})
    assert page.status_code == 200
    assert "Choisissez la colonne qui contient le département." in page.content.decode()


@pytest.mark.parametrize(
    ("contenu", "nom", "message"),
    [
        (b"code\n01053\x81\n", "aides.csv", "ni UTF-8 ni Windows-1252"),
        (b"PK\x03\x04abime", "aides.xlsx", "n’est pas un classeur Excel (.xlsx) valide"),
        (b"code\n01053\n", "aides.pdf", "n’est ni un fichier CSV ni un classeur XLSX"),
    ],
)
def test_un_mauvais_fichier_est_refuse_en_francais(client, geographie, contenu, nom, message):
    page = _deposer(client, contenu, nom)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert list(depot.dossier().iterdir()) == []


def test_les_colonnes_sont_devinees_sans_doublon(client, geographie):
    entete = ["Commune (code)", "Libellé commune", "Code département"]
    reponse = _deposer(client, fichier_csv([entete, ["01053", "Bourg-en-Bresse", "01"]]))
    html = client.get(reponse.url).content.decode()
    for champ, colonne in [("code", "Commune (code)"), ("nom", "Libellé commune"), ("departement", "Code département")]:
        choix = html.split(f'name="colonne_{champ}"')[1].split("</select>")[0]
        assert f'<option value="{colonne}" selected>' in choix
