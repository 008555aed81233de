"""A national team member, from the home page, loads the national Fonds vert list: upload, preview, progress,
confirmation, result."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from tests.financements.test_fonds_vert_fichier_reel import fichier_reel
from tests.financements.test_import_fonds_vert import ecrire
from ti.comptes.models import Role
from ti.core.travaux import executer_en_attente
from ti.financements.models import AttributionFondsVert, ImportFondsVert

from .test_parcours_plan_action import se_connecter


@pytest.fixture
def referentiel_montargis(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medias"
    loiret = DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    communes = [
        CommuneFactory(code="45208", nom="Montargis", departement=loiret),
        CommuneFactory(code="45004", nom="Amilly", departement=loiret),
    ]
    return TerritoireFactory(code="2499", nom="Montargis-Gâtinais", communes=communes)


def test_l_equipe_nationale_importe_la_liste_du_fonds_vert(page, live_server, referentiel_montargis, tmp_path):
    membre = utilisateur_avec(Role.EQUIPE_NATIONALE)
    contenu = ecrire(tmp_path, "fonds-vert-2024.csv", fichier_reel()).read_bytes()

    se_connecter(page, live_server, membre.email)  # from the home page, with the second factor
    page.get_by_role("link", name="Mon espace").click()
    page.get_by_role("link", name="Importer la liste nationale des attributions").click()

    page.get_by_label("Liste nationale des attributions du Fonds vert").set_input_files(
        {"name": "fonds-vert-2024.csv", "mimeType": "text/csv", "buffer": contenu}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    # The preview: counts, totals, normalisations, unplaceable lines, by région and territory; nothing written
    expect(page.get_by_role("heading", name="Aperçu : rien n’est encore enregistré")).to_be_visible()
    expect(page.get_by_text("dossiers (9 lignes, dont 1 dossier groupé)")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r"^Zéro initial rétabli .* : 2 valeurs$"))).to_be_visible()
    non_placees = page.get_by_role("table", name="Lignes non placées")
    expect(non_placees.get_by_role("row")).to_have_count(1 + 6)  # Vierzon, Oyonnax, Issoudun are not in this COG
    expect(page.get_by_role("table", name=re.compile("Par territoire")).get_by_role("row").nth(1)).to_contain_text(
        "Montargis-Gâtinais"
    )
    assert not AttributionFondsVert.objects.exists()

    # While a worker runs it, the page follows its progress (static script polling the progress record)
    import_ = ImportFondsVert.objects.get()
    ImportFondsVert.objects.filter(pk=import_.pk).update(statut="en_cours", lignes_traitees=4)
    page.reload()
    expect(page.get_by_role("status")).to_have_text("4 lignes vérifiées sur 9…")
    ImportFondsVert.objects.filter(pk=import_.pk).update(statut="apercu", lignes_traitees=0)
    # the script sees the run is over and reloads the page, which offers the confirmation again
    page.get_by_role("button", name="Confirmer l’import de 6 dossiers").click()
    expect(page.get_by_role("status")).to_be_visible()  # queued: the page follows the job
    assert executer_en_attente() == 1  # the worker runs the import

    expect(page.get_by_role("heading", name=re.compile("Import terminé"))).to_be_visible()
    expect(page.get_by_text("6 dossiers (6 créés, 0 mis à jour), 9 lignes.")).to_be_visible()
    assert AttributionFondsVert.objects.count() == 6
    page.get_by_role("link", name="Voir les dossiers groupés").click()
    expect(page.get_by_role("rowheader", name=re.compile("Dossier 20000010"))).to_contain_text("4 lignes")
