"""At 1280 px, the widest tables keep their first column (what the row is) in view: scrolled sideways to their end,
the first cell of each row still shows inside the table. Public tables are reached by clicking from the home page;
the national team's (envelopes, engineering missions) after signing in, by their address: this checks
a layout, the journeys that reach those pages are tested elsewhere."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.connexion import code_actuel
from ti.financements.models import Dispositif
from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase

LARGEUR = 1280
MOT_DE_PASSE_DEMO = "Demo-Territoires-2026"

# For every table of the page: scroll its scrolling box to the far right, then where is the first cell of the first
# body row, and where is the box?
MESURE = """() => [...document.querySelectorAll('.ti-table--colonne-fixe')].map((bloc) => {
  const table = bloc.querySelector('table');
  const boites = [bloc.querySelector('.fr-table__container'), table, bloc];
  const boite = boites.find((e) => e && e.scrollWidth > e.clientWidth) || bloc;
  boite.scrollLeft = boite.scrollWidth;
  const cellule = table.querySelector('tbody tr > :first-child').getBoundingClientRect();
  const cadre = boite.getBoundingClientRect();
  return {defile: boite.scrollLeft > 0, gauche: cellule.left, droite: cellule.right, cadre: cadre.left,
          largeur: innerWidth};
})"""


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    call_command("import_cog", "data/cog-2026", verbosity=0)
    importer_territoires(phase=Phase.TEMPS_2, fichier="data/territoires-industrie/temps2-communes-2026.csv")
    call_command("charger_demo", verbosity=0)


def premieres_colonnes_visibles(page) -> list[dict]:
    mesures = page.evaluate(MESURE)
    assert mesures, f"aucun tableau à colonne fixe sur {page.url}"
    for mesure in mesures:
        assert mesure["cadre"] - 1 <= mesure["gauche"] and mesure["droite"] <= mesure["largeur"] + 1, (page.url, mesure)
    return mesures


def test_les_tableaux_larges_gardent_leur_premiere_colonne_a_1280_px(page, live_server, demo):
    page.set_viewport_size({"width": LARGEUR, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Plan du site").click()
    page.get_by_role("main").get_by_role("link", name="Les territoires d’industrie", exact=True).click()
    expect(page.get_by_role("table")).to_be_visible()
    premieres_colonnes_visibles(page)

    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill("equipe-nationale@demo.territoires-industrie.example")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    appareil = TOTPDevice.objects.get(user__email__startswith="equipe-nationale@")
    page.get_by_label("Code de vérification").fill(code_actuel(appareil))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    larges = 0
    dispositif = Dispositif.objects.get()
    for url in (
        reverse("financements:dispositif", args=[dispositif.code]),
        reverse("ingenierie:tableau"),
        reverse("territoires:liste"),
    ):
        page.goto(live_server.url + url)
        larges += sum(mesure["defile"] for mesure in premieres_colonnes_visibles(page))
    assert larges, "aucun tableau ne défile à 1280 px : le test ne vérifierait rien"
