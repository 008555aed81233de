"""Opinions with a recommended amount and a file, the instructors' private annotations, « suivre un dossier »:
role by role, and never shown to the porteur."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ti.core.models import Journal
from ti.financements.actions import instruction as actions
from ti.financements.models import AnnotationDossier, Avis, SuiviDossier

from ..factories import DossierFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOTE = "Note interne : vérifier la cohérence des devis."


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis, porteur, instructeur_cvl):
    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)
    return actions.ouvrir_instruction(dossier=dossier, par=instructeur_cvl, version=dossier.version)


@pytest.fixture
def avis_ademe(dossier_cvl, instructeur_cvl):
    return actions.demander_avis(
        dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, type="ademe",
        echeance=timezone.localdate(),
    )  # fmt: skip


def page(dossier):
    return reverse("financements:dossier", args=[dossier.reference])


def rendre(client, avis, **champs):
    return client.post(reverse("financements:rendre_avis", args=[avis.dossier.reference, avis.pk]), champs)


def test_l_avis_porte_un_montant_recommande_et_une_piece(
    client, settings, tmp_path, avis_ademe, expert_ademe_cvl, instructeur_cvl, porteur
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(expert_ademe_cvl)
    reponse = rendre(
        client, avis_ademe, sens="favorable", texte="Projet solide.", montant_recommande="150000",
        fichier=SimpleUploadedFile("note-technique.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    assert reponse.status_code == 302
    avis = Avis.objects.get(pk=avis_ademe.pk)
    assert avis.montant_recommande == Decimal("150000")
    assert avis.piece.nom == "note-technique.pdf"
    piece = reverse("financements:piece_avis", args=[avis.dossier.reference, avis.pk])
    for lecteur in (instructeur_cvl, expert_ademe_cvl):
        client.force_login(lecteur)
        contenu = client.get(page(avis.dossier)).content.decode()
        assert "150\xa0000,00&nbsp;€" in contenu and "note-technique.pdf" in contenu
        assert client.get(piece).status_code == 200
    client.force_login(porteur)
    contenu = client.get(page(avis.dossier)).content.decode()
    assert "note-technique.pdf" not in contenu and "Montant recommandé" not in contenu
    assert client.get(piece).status_code == 404


def test_une_piece_d_avis_refusee_est_expliquee_et_l_avis_reste_a_rendre(
    client, settings, tmp_path, avis_ademe, expert_ademe_cvl
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(expert_ademe_cvl)
    reponse = rendre(
        client, avis_ademe, sens="favorable", texte="Projet solide.",
        fichier=SimpleUploadedFile("note.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    )  # fmt: skip
    assert reponse.status_code == 400
    assert "fr-error-text" in reponse.content.decode()
    assert "Projet solide." in reponse.content.decode()
    assert Avis.objects.get(pk=avis_ademe.pk).rendu_le is None


def test_le_montant_recommande_ne_depasse_pas_l_aide_demandee(client, avis_ademe, expert_ademe_cvl):
    client.force_login(expert_ademe_cvl)
    trop = avis_ademe.dossier.aide_demandee + 1
    reponse = rendre(client, avis_ademe, sens="favorable", texte="Oui.", montant_recommande=str(trop))
    assert reponse.status_code == 400
    assert "dépasse l’aide demandée" in reponse.content.decode()
    assert Avis.objects.get(pk=avis_ademe.pk).rendu_le is None


def test_l_instructeur_annote_et_le_porteur_ne_le_voit_jamais(
    client, dossier_cvl, instructeur_cvl, porteur, expert_ademe_cvl, django_assert_max_num_queries
):
    client.force_login(instructeur_cvl)
    annoter = reverse("financements:annoter", args=[dossier_cvl.reference])
    assert client.post(annoter, {"texte": NOTE}).status_code == 302
    assert Journal.objects.filter(action="annotation_ecrite").count() == 1
    with django_assert_max_num_queries(12):
        assert NOTE in client.get(page(dossier_cvl)).content.decode()
    for autre in (porteur, expert_ademe_cvl):
        client.force_login(autre)
        contenu = client.get(page(dossier_cvl)).content.decode()
        assert NOTE not in contenu and "Annotations privées" not in contenu
        assert client.post(annoter, {"texte": "Intrusion"}).status_code == 403
    assert list(AnnotationDossier.objects.values_list("texte", flat=True)) == [NOTE]


def test_une_annotation_vide_est_une_erreur_listee_en_tete(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    reponse = client.post(reverse("financements:annoter", args=[dossier_cvl.reference]), {"texte": "  "})
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert 'href="#id_annotation_texte"' in contenu and 'id="id_annotation_texte"' in contenu
    assert not AnnotationDossier.objects.exists()


def test_hors_perimetre_pas_d_annotation_ni_de_suivi(client, dossier_cvl, instructeur_bretagne):
    client.force_login(instructeur_bretagne)
    assert client.post(reverse("financements:annoter", args=[dossier_cvl.reference]), {"texte": "x"}).status_code == 404
    assert client.post(reverse("financements:suivre", args=[dossier_cvl.reference]), {"suivre": "1"}).status_code == 404


def test_suivre_un_dossier_le_met_en_tete_de_la_file(
    client, dossier_cvl, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis, porteur
):
    plus_recent = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis)
    client.force_login(instructeur_cvl)
    file = reverse("financements:file")
    ordre = [d.reference for d in client.get(file).context["page_obj"]]
    assert ordre[0] == plus_recent.reference
    suivre = reverse("financements:suivre", args=[dossier_cvl.reference])
    assert client.post(suivre, {"suivre": "1"}).status_code == 302
    assert client.post(suivre, {"suivre": "1"}).status_code == 302  # twice: still one flag
    assert SuiviDossier.objects.count() == 1
    assert "Suivi — ne plus suivre ce dossier" in client.get(page(dossier_cvl)).content.decode()
    ordre = [d.reference for d in client.get(file).context["page_obj"]]
    assert ordre[0] == dossier_cvl.reference
    assert [d.reference for d in client.get(file, {"suivis": "on"}).context["page_obj"]] == [dossier_cvl.reference]
    client.post(suivre, {"suivre": "0"})
    assert not SuiviDossier.objects.exists()
    client.force_login(porteur)
    assert client.post(suivre, {"suivre": "1"}).status_code == 403
