"""The map of a territory's page draws its outlines from the static file, which the browser loads and keeps."""

from playwright.sync_api import expect

from ti.territoires.models import Territoire

# The size (width, height) of what each <use> of the map draws, once the static file is loaded.
TAILLES = """() => [...document.querySelectorAll('.ti-carte svg use')].map(use => {
    const boite = use.getBBox();
    return [use.dataset.code || null, Math.round(boite.width), Math.round(boite.height)];
})"""


def test_la_carte_du_territoire_dessine_la_france_et_ses_departements(page, live_server, programme_reel):
    territoire = Territoire.objects.get(communes__code="07010")  # Annonay: Ardèche Drome, on two départements
    statuts = []
    page.on("response", lambda reponse: "carte-departements" in reponse.url and statuts.append(reponse.status))

    page.goto(live_server.url + territoire.get_absolute_url())

    carte = page.locator("figure.ti-carte")
    expect(carte.get_by_role("img")).to_have_accessible_name(
        f"Carte des départements du territoire {territoire.nom} "
        "Départements mis en évidence : Ardèche (07), Drôme (26)."
    )
    expect(carte).to_contain_text("En bleu les départements du territoire : Ardèche (07), Drôme (26).")
    page.wait_for_function("() => document.querySelector('.ti-carte svg use').getBBox().width > 0")
    fond, *actifs = page.evaluate(TAILLES)
    assert fond[0] is None and fond[1] > 600 and fond[2] > 500  # the whole of metropolitan France
    assert [code for code, largeur, hauteur in actifs if largeur and hauteur] == ["07", "26"]
    assert statuts == [200]  # one file for every outline, loaded once
