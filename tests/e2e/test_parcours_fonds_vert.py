"""A company checks its eligibility, drafts and files a Fonds vert dossier; the région's instructor decides."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    EnveloppeFactory,
    RegionFactory,
    TerritoireFactory,
    utilisateur_avec,
)
from ti.comptes.models import Role
from ti.financements.models import Dossier, Enveloppe, Statut

from .test_parcours_plan_action import se_connecter, se_deconnecter

SIRET = "73282932000074"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def completer_et_deposer(page):
    """The porteur's draft completed (address, amounts, a balanced plan, the two pieces of volet 1), then filed
    through the confirmation step."""
    page.get_by_label("Adresse postale du porteur").fill("12 rue des Forges\n45200 Montargis")
    page.get_by_label("Description").fill("Échangeur sur les fumées du four ; la chaleur alimente le séchage.")
    page.get_by_label("Coût total (€)").fill("1 000 000")
    page.get_by_label("Coût éligible (€)").fill("800 000")
    page.get_by_label("Aide demandée (€)").fill("300 000")
    page.get_by_label("Financeur").nth(0).fill("Fonds propres")
    page.get_by_label("Montant (€)").nth(0).fill("700 000")
    page.get_by_label("Financeur").nth(1).fill("Fonds vert")
    page.get_by_label("Montant (€)").nth(1).fill("300 000")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text(re.compile("enregistré", re.IGNORECASE)).first).to_be_visible()

    for type_de_piece, nom in [("kbis", "kbis.pdf"), ("etude_faisabilite", "etude.pdf")]:
        page.get_by_label("Type de pièce").select_option(type_de_piece)
        page.get_by_label("Fichiers").set_input_files({"name": nom, "mimeType": "application/pdf", "buffer": PDF})
        page.get_by_role("button", name="Joindre les fichiers").click()
        expect(page.get_by_role("link", name=nom)).to_be_visible()

    page.get_by_role("button", name="Vérifier et déposer").click()
    page.get_by_role("button", name="Confirmer le dépôt").click()
    expect(page.get_by_text(re.compile("déposé")).first).to_be_visible()


@pytest.fixture
def programme_fonds_vert(transactional_db, django_db_serialized_rollback):
    cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    territoire = TerritoireFactory(
        code="2401",
        nom="Est du Loiret",
        communes=[CommuneFactory(code="45208", nom="Montargis", departement=loiret, population=14000)],
    )
    enveloppe = EnveloppeFactory(dispositif=DispositifFactory(), region=cvl, montant=Decimal("5600000.00"))
    return territoire, enveloppe


def test_de_l_eligibilite_a_la_decision(page, live_server, programme_fonds_vert):
    territoire, enveloppe = programme_fonds_vert
    porteur = utilisateur_avec(Role.PORTEUR, siret=SIRET, organisme="Fonderie du Gâtinais (fictive)")
    instructeur = utilisateur_avec(Role.INSTRUCTEUR, region=enveloppe.region)

    # Eligibility, then the draft.
    se_connecter(page, live_server, porteur.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mes dossiers").click()
    page.get_by_role("link", name="Vérifier l’éligibilité d’un projet").click()
    page.get_by_label("SIRET de la structure porteuse").fill(SIRET)
    page.get_by_label("Nom de la structure porteuse").fill("Fonderie du Gâtinais (fictive)")
    page.get_by_label("Type de porteur").select_option("entreprise")
    page.get_by_label("Volet du dispositif").select_option("investissement")
    page.get_by_label("Intitulé du projet").fill("Récupération de chaleur fatale sur four de fusion")
    page.get_by_label("Commune où le projet se réalise").fill("45208")
    page.locator("label[for=id_investissement_non_demarre]").click()  # the DSFR draws the box on the label
    page.get_by_role("button", name="Vérifier et créer le dossier").click()
    dossier = Dossier.objects.get(porteur_siret=SIRET)
    assert dossier.statut == Statut.BROUILLON and dossier.territoire == territoire

    completer_et_deposer(page)
    dossier.refresh_from_db()
    assert dossier.statut == Statut.DEPOSE
    se_deconnecter(page)

    # Instruction and decision by the région's instructor.
    se_connecter(page, live_server, instructeur.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Instruction").click()
    page.get_by_role("link", name=dossier.reference, exact=True).click()
    page.get_by_role("button", name="Dossier complet : ouvrir l’instruction").click()
    page.get_by_role("button", name="Proposer au décideur").click()
    decision = page.locator("form", has=page.get_by_role("button", name="Enregistrer la décision"))
    decision.get_by_label("Décision").select_option("accepte")
    decision.get_by_label(re.compile("Montant accordé")).fill("250000")
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text(re.compile("Accepté")).first).to_be_visible()

    dossier.refresh_from_db()
    assert dossier.statut == Statut.ACCEPTE and dossier.montant_accorde == Decimal("250000.00")
    assert Enveloppe.objects.get(pk=enveloppe.pk).montant_accorde == Decimal("250000.00")
    assert [t.vers for t in dossier.transitions.all()] == [
        Statut.DEPOSE,
        Statut.EN_INSTRUCTION,
        Statut.PROPOSE,
        Statut.ACCEPTE,
    ]
