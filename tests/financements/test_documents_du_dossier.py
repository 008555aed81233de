"""The dossier's documents: the récépissé of the filing (PDF) and the decision letter (PDF and .docx) with its real
signatory, the porteur's address and the scheme's legal references; refused, with the reason, when one is missing."""

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from ti.core.models import Journal
from ti.financements import lettre
from ti.financements.actions import instruction as actions
from ti.financements.models import PieceJointe, Statut

from ..factories import DossierFactory
from .conftest import SIRET_PORTEUR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stockage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def depose(enveloppe_cvl, territoire_fv, montargis, porteur):
    dossier = DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        deposant=porteur,
        porteur_siret=SIRET_PORTEUR,
        porteur_nom="Dupont & Fils <SAS>",
        depose_le=datetime(2024, 3, 1, 9, 5, tzinfo=ZoneInfo("UTC")),
    )
    for nom, type_piece, taille in (("etude.pdf", "etude_faisabilite", 2048), ("kbis.pdf", "kbis", 10)):
        PieceJointe.objects.create(
            dossier=dossier, type=type_piece, fichier=f"dossiers/{nom}", nom=nom, type_mime="application/pdf",
            taille=taille, depose_par=porteur,
        )  # fmt: skip
    PieceJointe.objects.filter(dossier=dossier).update(depose_le=datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("UTC")))
    return dossier


def texte_pdf(contenu: bytes) -> str:
    texte = "\n".join(page.extract_text() for page in PdfReader(BytesIO(contenu)).pages)
    return texte.replace("\xa0", " ").replace("\u202f", " ")


def recepisse(dossier):
    return reverse("financements:recepisse", args=[dossier.reference])


def test_le_recepisse_dit_la_reference_la_date_le_porteur_les_montants_et_les_pieces(
    client, porteur, depose, django_assert_max_num_queries
):
    client.force_login(porteur)
    with django_assert_max_num_queries(8):
        reponse = client.get(recepisse(depose))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert f'filename="recepisse-{depose.reference}.pdf"' in reponse["Content-Disposition"]
    texte = texte_pdf(reponse.content)
    assert f"Récépissé de dépôt du dossier {depose.reference}" in texte
    assert "vendredi 1er mars 2024 à 10 h 05 (heure de Paris)" in texte
    assert "Dupont & Fils <SAS>" in texte and "732 829 320 00074" in texte
    assert depose.dispositif.nom in texte and "Volet 1 — investissements industriels" in texte
    assert "1 000 000,00 €" in texte and "800 000,00 €" in texte and "300 000,00 €" in texte
    assert "etude.pdf" in texte and "Étude de faisabilité" in texte and "2,0 Kio" in texte
    assert "kbis.pdf" in texte and "10 octets" in texte


def test_le_recepisse_ne_liste_que_les_pieces_du_depot(client, porteur, depose):
    PieceJointe.objects.create(
        dossier=depose, type="devis", fichier="dossiers/devis.pdf", nom="devis-apres.pdf", type_mime="application/pdf",
        taille=5, depose_par=porteur,
    )  # fmt: skip
    PieceJointe.objects.filter(nom="kbis.pdf").update(archive_le=datetime(2024, 2, 1, tzinfo=ZoneInfo("UTC")))
    client.force_login(porteur)
    texte = texte_pdf(client.get(recepisse(depose)).content)
    assert "etude.pdf" in texte
    assert "devis-apres.pdf" not in texte  # joined after the filing
    assert "kbis.pdf" not in texte  # withdrawn before it


def test_l_instructeur_de_la_region_et_l_equipe_nationale_telechargent_le_recepisse(
    client, depose, instructeur_cvl, equipe_nationale
):
    for agent in (instructeur_cvl, equipe_nationale):
        client.force_login(agent)
        assert client.get(recepisse(depose)).content.startswith(b"%PDF-")


def test_hors_perimetre_404_et_role_sans_droit_403(
    client, depose, instructeur_bretagne, autre_porteur, binome_territoire
):
    for personne in (instructeur_bretagne, autre_porteur):
        client.force_login(personne)
        assert client.get(recepisse(depose)).status_code == 404
    client.force_login(binome_territoire)  # sees the dossier, not its récépissé
    assert client.get(recepisse(depose)).status_code == 403


def test_un_brouillon_n_a_pas_de_recepisse(client, porteur, depose):
    depose.statut, depose.depose_le = Statut.BROUILLON, None
    depose.save()
    client.force_login(porteur)
    assert client.get(recepisse(depose)).status_code == 404


def test_la_page_du_dossier_offre_le_recepisse_au_porteur_pas_au_binome(client, porteur, depose, binome_territoire):
    client.force_login(porteur)
    assert recepisse(depose) in client.get(depose.get_absolute_url()).content.decode()
    client.force_login(binome_territoire)
    assert recepisse(depose) not in client.get(depose.get_absolute_url()).content.decode()


def decider(dossier, instructeur, statut=Statut.ACCEPTE):
    for etape in (actions.ouvrir_instruction, lambda **k: actions.proposer(montant_propose=Decimal("1000"), **k)):
        dossier.refresh_from_db()
        etape(dossier=dossier, par=instructeur, version=dossier.version)
    dossier.refresh_from_db()
    montant = Decimal("1000") if statut == Statut.ACCEPTE else None
    actions.decider(dossier=dossier, par=instructeur, version=dossier.version, statut=statut, montant=montant,
                    motif="Projet exemplaire.")  # fmt: skip


def test_la_lettre_pdf_nomme_le_signataire_l_adresse_et_les_textes(client, depose, instructeur_cvl, porteur):
    decider(depose, instructeur_cvl)
    client.force_login(porteur)
    reponse = client.get(reverse("financements:lettre_decision_pdf", args=[depose.reference]))
    assert reponse["Content-Type"] == "application/pdf"
    texte = texte_pdf(reponse.content)
    assert "Le préfet de la région Centre-Val de Loire" in texte and "Camille Martin" in texte
    assert "12 rue des Forges" in texte and "45200 Montargis" in texte
    assert "Loi n° 2023-973 du 23 octobre 2023 relative à l’industrie verte" in texte
    assert "1 000,00 €" in texte and "Dupont & Fils <SAS>" in texte
    assert "[Prénom Nom]" not in texte


def test_la_lettre_docx_porte_aussi_l_adresse_et_les_textes(client, depose, instructeur_cvl):
    decider(depose, instructeur_cvl, statut=Statut.REFUSE)
    client.force_login(instructeur_cvl)
    reponse = client.get(reverse("financements:lettre_decision", args=[depose.reference]))
    texte = "\n".join(p.text for p in Document(BytesIO(reponse.content)).paragraphs)
    assert "12 rue des Forges\n45200 Montargis" in texte
    assert "Vu :\nLoi n° 2023-973" in texte
    assert "Le préfet de la région Centre-Val de Loire\nCamille Martin" in texte


@pytest.mark.parametrize("nom", ["lettre_decision", "lettre_decision_pdf"])
def test_sans_signataire_la_lettre_est_refusee_avec_la_raison(client, depose, instructeur_cvl, nom):
    decider(depose, instructeur_cvl)
    depose.enveloppe.signataire_qualite = ""
    depose.enveloppe.save()
    depose.dispositif.references_juridiques = ""
    depose.dispositif.save()
    client.force_login(instructeur_cvl)
    reponse = client.get(reverse(f"financements:{nom}", args=[depose.reference]))
    assert reponse.status_code == 302 and reponse["Location"] == depose.get_absolute_url()
    message = str(next(iter(get_messages(reponse.wsgi_request))))
    assert message.startswith("La lettre de décision ne peut pas être produite")
    assert "n’a pas de signataire des décisions" in message and "n’a pas de références juridiques" in message


def test_sans_adresse_du_porteur_la_lettre_est_refusee(client, depose, instructeur_cvl):
    decider(depose, instructeur_cvl)
    type(depose).objects.filter(pk=depose.pk).update(porteur_adresse=" ")
    client.force_login(instructeur_cvl)
    reponse = client.get(reverse("financements:lettre_decision_pdf", args=[depose.reference]), follow=True)
    assert "ne porte pas l’adresse postale du porteur" in reponse.content.decode()


def test_l_instructeur_de_la_region_designe_le_signataire(client, enveloppe_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    url = reverse("financements:signataire", args=[enveloppe_cvl.pk])
    assert client.post(url, {"qualite": " ", "nom": ""}).status_code == 400
    reponse = client.post(url, {"qualite": "La préfète de la région Centre-Val de Loire", "nom": "Claire Dubois"})
    assert reponse.status_code == 302
    enveloppe_cvl.refresh_from_db()
    assert (enveloppe_cvl.signataire_qualite, enveloppe_cvl.signataire_nom) == (
        "La préfète de la région Centre-Val de Loire",
        "Claire Dubois",
    )
    assert Journal.objects.filter(action="signataire_designe").count() == 1


def test_le_siret_du_signataire_est_verifie_puis_enregistre(client, enveloppe_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    url = reverse("financements:signataire", args=[enveloppe_cvl.pk])
    qualite = "La préfète de la région Centre-Val de Loire"

    reponse = client.post(url, {"qualite": qualite, "siret": "17450001400018"})
    assert reponse.status_code == 400
    assert "SIRET de l’autorité signataire" in reponse.content.decode()
    enveloppe_cvl.refresh_from_db()
    assert enveloppe_cvl.signataire_siret == ""

    assert client.post(url, {"qualite": qualite, "siret": "174 500 014 00017"}).status_code == 302
    enveloppe_cvl.refresh_from_db()
    assert enveloppe_cvl.signataire_siret == "17450001400017"


def test_un_instructeur_d_une_autre_region_ne_designe_pas_le_signataire(
    client, enveloppe_cvl, instructeur_bretagne, porteur
):
    for personne in (instructeur_bretagne, porteur):
        client.force_login(personne)
        assert client.get(reverse("financements:signataire", args=[enveloppe_cvl.pk])).status_code == 403


def test_l_equipe_nationale_fixe_les_references_juridiques(client, enveloppe_cvl, equipe_nationale, instructeur_cvl):
    dispositif = enveloppe_cvl.dispositif
    url = reverse("financements:references_juridiques", args=[dispositif.code])
    client.force_login(instructeur_cvl)
    assert client.get(url).status_code == 403
    client.force_login(equipe_nationale)
    reponse = client.post(url, {"references": "\n".join(["  Décret A  ", "", "Arrêté B"])})
    assert reponse.status_code == 302
    dispositif.refresh_from_db()
    assert dispositif.references_juridiques == "Décret A\nArrêté B"
    page = client.get(reverse("financements:dispositif", args=[dispositif.code])).content.decode()
    assert "Décret A" in page and "Arrêté B" in page
    assert reverse("financements:signataire", args=[enveloppe_cvl.pk]) in page  # the national team may set it too


def test_un_signataire_vide_n_est_jamais_remplace_par_un_nom_devine(depose):
    depose.enveloppe.signataire_qualite = "   "
    with pytest.raises(lettre.LettreImpossible, match="n’a pas de signataire des décisions"):
        lettre.contexte(depose)
