"""The région's instructor, from the home page: the queue, a search by SIRET, the dossier's tabs, two opinions asked
in one step, a private note, and a classement sans suite confirmed in the dialog."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import DossierFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.financements.models import AnnotationDossier, Avis, Dossier, Statut

from .test_parcours_fonds_vert import programme_fonds_vert  # noqa: F401 (the fixture)
from .test_parcours_plan_action import se_connecter


@pytest.fixture
def deux_dossiers(programme_fonds_vert):  # noqa: F811
    territoire, enveloppe = programme_fonds_vert
    commune = territoire.communes.get()
    cible = DossierFactory(
        enveloppe=enveloppe,
        territoire=territoire,
        commune=commune,
        reference="FV2026-24-00007",
        porteur_nom="Scierie de l’Ouanne (fictive)",
        porteur_siret="35600000000048",
        intitule="Séchoir à bois alimenté par la chaleur fatale",
    )
    autre = DossierFactory(enveloppe=enveloppe, territoire=territoire, commune=commune, reference="FV2026-24-00008")
    return enveloppe, cible, autre


def test_l_instructeur_cherche_un_siret_et_demande_deux_avis(page, live_server, deux_dossiers):
    enveloppe, cible, autre = deux_dossiers
    instructeur = utilisateur_avec(Role.INSTRUCTEUR, region=enveloppe.region)
    se_connecter(page, live_server, instructeur.email)

    # From the home page to the queue.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Mon espace|À faire")).first.click()
    page.get_by_role("link", name=re.compile("Dossiers à instruire|File d’instruction")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File d’instruction des dossiers")

    # Search by SIRET, typed with spaces as it is printed on a Kbis.
    page.get_by_label(re.compile("^Rechercher")).fill("356 000 000 00048")
    page.get_by_role("button", name="Afficher les dossiers").click()
    expect(page.get_by_role("link", name=cible.reference)).to_be_visible()
    expect(page.get_by_role("link", name=autre.reference)).to_have_count(0)
    page.get_by_role("link", name=cible.reference).click()

    # The dossier's sections are tabs; the instruction opens from the « Dossier » tab.
    expect(page.get_by_role("tab", name="Dossier")).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="Dossier complet : ouvrir l’instruction").click()
    expect(page.locator("#statut")).to_have_text("En instruction")

    # Two opinions in one step, from the « Avis » tab.
    page.get_by_role("tab", name="Avis").click()
    avis = page.locator("#formulaire-avis")
    avis.get_by_text("Avis technique de l’ADEME").click()  # the DSFR draws the box on the label
    avis.get_by_text("Avis du Conseil régional").click()
    echeance = timezone.localdate() + timedelta(days=10)
    avis.get_by_label("À rendre avant le").fill(echeance.isoformat())
    avis.get_by_role("button", name="Demander les avis").click()
    expect(page.get_by_text("Demander des avis : c’est enregistré.")).to_be_visible()
    assert sorted(Avis.objects.filter(dossier=cible).values_list("type", flat=True)) == ["ademe", "region"]
    assert set(Avis.objects.filter(dossier=cible).values_list("echeance", flat=True)) == {echeance}

    # A private note, then the dossier followed.
    page.get_by_role("tab", name="Dossier").click()
    page.get_by_label(re.compile("^Annotation privée")).fill("Appeler le porteur sur le devis du séchoir.")
    page.get_by_role("button", name="Ajouter l’annotation").click()
    expect(page.get_by_text("Appeler le porteur sur le devis du séchoir.")).to_be_visible()
    assert AnnotationDossier.objects.filter(dossier=cible).count() == 1
    page.get_by_role("button", name="Suivre ce dossier").click()
    expect(page.get_by_role("button", name="Suivi — ne plus suivre ce dossier")).to_be_visible()

    # A classement sans suite asks for confirmation in a dialog; « Annuler » keeps the dossier as it is.
    classer = page.locator("#formulaire-classer")
    classer.get_by_label("Motif").fill("Le porteur renonce au projet.")
    classer.get_by_role("button", name="Classer sans suite").click()
    dialogue = page.locator("#modale-classer")
    expect(dialogue).to_be_visible()
    dialogue.get_by_role("button", name="Annuler").click()
    expect(dialogue).to_be_hidden()
    assert Dossier.objects.get(pk=cible.pk).statut == Statut.EN_INSTRUCTION
    classer.get_by_role("button", name="Classer sans suite").click()
    dialogue.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#statut")).to_have_text("Classé sans suite")
    assert Dossier.objects.get(pk=cible.pk).statut == Statut.CLASSE_SANS_SUITE
