"""A visitor asks « ma commune est-elle dans un Territoire d'industrie ? » and reaches the territory's page."""

import re

from playwright.sync_api import expect

from ti.territoires.models import Territoire


def test_de_l_accueil_a_la_page_du_territoire_par_la_recherche_de_commune(page, live_server, programme_reel):
    territoire = Territoire.objects.get(communes__code="07010")  # Annonay, phase 1

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    recherche = page.get_by_label(re.compile("commune", re.IGNORECASE)).first
    recherche.fill("annonay")
    recherche.press("Enter")

    expect(page.get_by_text("Annonay").first).to_be_visible()
    page.get_by_role("link", name=territoire.nom).first.click()

    expect(page).to_have_url(re.compile(territoire.identifiant))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(territoire.nom)))
    expect(page.get_by_text("Annonay").first).to_be_attached()
