"""A visitor looks for the platform's open data: from the home page, the footer's « Données ouvertes », a dataset's
file downloaded, then the API's documentation in French."""

import csv
import json
from pathlib import Path

from playwright.sync_api import expect

SCHEMA_SCDL = Path("data/standards/scdl-subventions/schema.json")


def test_de_l_accueil_au_fichier_des_subventions_puis_a_la_documentation_de_l_api(
    page, live_server, transactional_db, django_db_serialized_rollback
):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Données ouvertes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Fichier des subventions").click()
    with open(telechargement.value.path(), encoding="utf-8-sig", newline="") as fichier:
        entete = next(csv.reader(fichier))
    colonnes = [champ["name"] for champ in json.loads(SCHEMA_SCDL.read_text())["fields"]]
    assert entete == colonnes

    page.get_by_role("main").get_by_role("link", name="Documentation de l’API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation de l’API")
    page.get_by_role("link", name="Liste des territoires d’industrie").click()
    expect(page.get_by_role("heading", name="Liste des territoires d’industrie")).to_be_in_viewport()
    expect(page.get_by_role("rowheader", name="limit").first).to_be_visible()
