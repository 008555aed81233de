"""A visitor, from the home page, drops a small CSV of communes and downloads it with the Territoires d'industrie
columns added."""

import csv
import io
import re

from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory
from ti.territoires.models import Phase

FICHIER = "Entreprise;Commune (code)\r\nForge du Bugey;1053\r\nScierie inconnue;99999\r\n".encode("cp1252")


def test_de_l_accueil_au_fichier_croise(
    page, live_server, transactional_db, django_db_serialized_rollback, settings, tmp_path
):
    settings.CROISEMENT_DEPOT = tmp_path / "depot"
    settings.MEDIA_ROOT = tmp_path / "media"
    ain = DepartementFactory(code="01", nom="Ain", region=RegionFactory(code="84", nom="Auvergne-Rhône-Alpes"))
    bourg = CommuneFactory(code="01053", nom="Bourg-en-Bresse", departement=ain)
    TerritoireFactory(phase=Phase.TEMPS_2, code="8401", nom="Bresse et Dombes", communes=[bourg])

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Croiser un fichier").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Croiser un fichier avec les Territoires d’industrie")

    page.get_by_label("Fichier à croiser").set_input_files(
        {"name": "entreprises.csv", "mimeType": "text/csv", "buffer": FICHIER}
    )
    page.get_by_role("button", name="Déposer le fichier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("entreprises.csv"))
    expect(page.get_by_role("cell", name="Forge du Bugey")).to_be_visible()
    expect(page.get_by_label("Colonne du code commune")).to_have_value("Commune (code)")
    with page.expect_download() as telechargement:
        page.get_by_role("button", name=re.compile("Télécharger le fichier croisé")).click()

    assert telechargement.value.suggested_filename == "entreprises-territoires-industrie.csv"
    with open(telechargement.value.path(), encoding="utf-8-sig") as resultat:
        lignes = list(csv.DictReader(io.StringIO(resultat.read()), delimiter=";"))
    assert [ligne["Entreprise"] for ligne in lignes] == ["Forge du Bugey", "Scierie inconnue"]
    assert lignes[0]["ti_temps2_noms"] == "Bresse et Dombes" and lignes[0]["ti_code_commune"] == "01053"
    assert lignes[1]["ti_statut"] == "non placée"
