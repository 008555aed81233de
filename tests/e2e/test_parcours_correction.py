"""The correction loop: the instructor asks for more pieces; the porteur, from the home page, finds his dossier with
the request on top, answers, joins two files without losing what he typed, files again after the confirmation and
downloads the récépissé (a PDF)."""

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    DossierFactory,
    EnveloppeFactory,
    RegionFactory,
    TerritoireFactory,
    utilisateur_avec,
)
from ti.comptes.models import Role
from ti.financements.models import LigneFinancementDossier, Message, PieceJointe, Statut

from .test_parcours_fonds_vert import PDF, SIRET
from .test_parcours_plan_action import se_connecter, se_deconnecter


@pytest.fixture
def dossier_depose(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
    montargis = CommuneFactory(code="45208", nom="Montargis", departement=DepartementFactory(code="45", region=cvl))
    territoire = TerritoireFactory(code="2401", nom="Est du Loiret", communes=[montargis])
    enveloppe = EnveloppeFactory(dispositif=DispositifFactory(), region=cvl)
    porteur = utilisateur_avec(Role.PORTEUR, siret=SIRET, organisme="Fonderie du Gâtinais (fictive)")
    dossier = DossierFactory(
        enveloppe=enveloppe, territoire=territoire, commune=montargis, deposant=porteur, porteur_siret=SIRET,
        description="Échangeur sur les fumées du four.",
    )  # fmt: skip
    for financeur, montant in (("Fonds propres", "700000"), ("Fonds vert", "300000")):
        LigneFinancementDossier.objects.create(dossier=dossier, financeur=financeur, montant=Decimal(montant))
    for type_piece, nom in ((PieceJointe.Type.KBIS, "kbis.pdf"), (PieceJointe.Type.ETUDE_FAISABILITE, "etude.pdf")):
        piece = PieceJointe(dossier=dossier, type=type_piece, nom=nom, type_mime="application/pdf", taille=len(PDF),
                            depose_par=porteur)  # fmt: skip
        piece.fichier.save(nom, ContentFile(PDF), save=True)
    return dossier, porteur, utilisateur_avec(Role.INSTRUCTEUR, region=cvl)


def test_la_boucle_de_correction_jusqu_au_recepisse(page, live_server, dossier_depose):
    dossier, porteur, instructeur = dossier_depose

    # The instructor asks for a correction, from his home page.
    se_connecter(page, live_server, instructeur.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Instruction").click()
    page.get_by_role("link", name=dossier.reference, exact=True).click()
    demande = page.locator("form", has=page.get_by_role("button", name="Demander des compléments"))
    demande.get_by_label(re.compile("Motif")).fill("Joignez les deux devis signés du four.")
    demande.get_by_role("button", name="Demander des compléments").click()
    expect(page.locator("#statut")).to_have_text("Incomplet")
    se_deconnecter(page)

    # The porteur logs in from the home page and opens his dossier: the request is on top.
    se_connecter(page, live_server, porteur.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("À faire")  # where he lands: the request is listed
    expect(page.get_by_role("main")).to_contain_text(dossier.reference)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mes dossiers").click()
    expect(page.get_by_text("Compléments demandés")).to_be_visible()
    page.get_by_role("link", name=dossier.reference, exact=True).click()
    bandeau = page.locator("#demande-complements")
    expect(bandeau.get_by_role("heading", name="L’instruction demande des compléments")).to_be_visible()
    expect(bandeau).to_contain_text("Joignez les deux devis signés du four.")

    # He answers; the thread shows his answer.
    page.get_by_label("Votre réponse à l’instruction").fill("Voici les deux devis signés.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator("#echanges")).to_contain_text("Voici les deux devis signés.")
    assert Message.objects.filter(dossier=dossier, auteur=porteur).count() == 1

    # He types, then joins two files without reloading: what he typed stays.
    page.evaluate("window.pasRecharge = true")
    page.get_by_label("Description").fill("Échangeur sur les fumées du four, devis signés joints.")
    page.get_by_label("Type de pièce").select_option("devis")
    page.get_by_label("Fichiers").set_input_files(
        [
            {"name": "devis-echangeur.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "devis-pose.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    page.get_by_role("button", name="Joindre les fichiers").click()
    expect(page.get_by_role("link", name="devis-echangeur.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="devis-pose.pdf")).to_be_visible()
    expect(page.locator("#pieces-annonce")).to_have_text(
        "Pièces « devis-echangeur.pdf », « devis-pose.pdf » jointes au dossier."
    )
    assert page.evaluate("window.pasRecharge") is True
    expect(page.get_by_label("Description")).to_have_value("Échangeur sur les fumées du four, devis signés joints.")

    # He files again, after the confirmation step.
    page.get_by_role("button", name="Vérifier et déposer de nouveau").click()
    expect(page.get_by_role("heading", name=f"Confirmer le dépôt du dossier {dossier.reference}")).to_be_visible()
    expect(page.get_by_text("devis-pose.pdf")).to_be_visible()
    page.get_by_role("button", name="Confirmer le dépôt").click()
    expect(page.get_by_text(f"Dossier {dossier.reference} déposé.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.statut == Statut.DEPOSE
    assert dossier.description == "Échangeur sur les fumées du four, devis signés joints."

    # And downloads the récépissé.
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("récépissé")).click()
    chemin = telechargement.value.path()
    with open(chemin, "rb") as fichier:
        assert fichier.read(5) == b"%PDF-"
    assert telechargement.value.suggested_filename == f"recepisse-{dossier.reference}.pdf"
