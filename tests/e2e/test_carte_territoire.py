"""The map of a territory's page: the static file of every outline as an image, which the browser loads and keeps,
and the territory's départements drawn over it."""

from playwright.sync_api import expect

from ti.territoires.models import Territoire

# The size (width, height) of each highlighted département; the image of every outline: loaded, and its box.
TAILLES = """() => ({
    actifs: [...document.querySelectorAll('.ti-carte svg path')].map(path => {
        const boite = path.getBBox();
        return [path.dataset.code, Math.round(boite.width), Math.round(boite.height)];
    }),
    fond: (image => [image.naturalWidth, image.width, image.height])(document.querySelector('.ti-carte img')),
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
    carte.scroll_into_view_if_needed()  # the image is lazy: fetched when the map nears the screen
    page.wait_for_function("() => document.querySelector('.ti-carte img').complete")
    tailles = page.evaluate(TAILLES)
    chargee, largeur, hauteur = tailles["fond"]
    assert chargee and round(largeur / hauteur, 2) == round(613 / 585, 2)  # the whole map, in its proportions
    assert [code for code, largeur, hauteur in tailles["actifs"] if largeur and hauteur] == ["07", "26"]
    assert statuts == [200]  # one file for every outline, loaded once
