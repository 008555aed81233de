"""Documents of a fiche-action and the antivirus: a quarantined or unscanned document is never served, and the
fiche says why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ti.core.antivirus import Analyse
from ti.projets.models import Document

from ..core.faux_antivirus import CHEMIN, MARQUE, MENACE, FauxAntivirus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _faux_antivirus(settings, tmp_path):
    settings.MEDIA_ROOT, settings.ANTIVIRUS = tmp_path, CHEMIN
    FauxAntivirus.EN_PANNE = False
    yield
    FauxAntivirus.EN_PANNE = False


def deposer(client, projet, contenu: bytes):
    fichier = SimpleUploadedFile("etude.pdf", contenu, content_type="application/pdf")
    return client.post(reverse("projets:deposer_document", args=[projet.pk]), {"fichier": fichier})


def telecharger(client, document):
    return client.get(reverse("projets:document", args=[document.projet_id, document.pk]))


def test_un_document_sain_est_analyse_au_depot_et_servi(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    deposer(client, projet_public, PDF)

    document = Document.objects.get()
    assert document.analyse == Analyse.SAIN
    assert telecharger(client, document).status_code == 200


def test_un_document_infecte_est_en_quarantaine_pour_tous(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    deposer(client, projet_public, PDF + MARQUE)
    document = Document.objects.get()

    assert document.analyse == Analyse.QUARANTAINE
    assert telecharger(client, document).status_code == 404
    page = client.get(projet_public.get_absolute_url()).content.decode()
    assert "En quarantaine" in page and MENACE in page
    assert f'href="{reverse("projets:document", args=[projet_public.pk, document.pk])}"' not in page
    client.logout()
    assert telecharger(client, document).status_code == 404  # the public fiche's visitors neither


def test_antivirus_injoignable_le_document_attend_son_analyse(client, chef_projet, projet_public):
    FauxAntivirus.EN_PANNE = True
    client.force_login(chef_projet)
    deposer(client, projet_public, PDF)
    document = Document.objects.get()

    assert document.analyse == Analyse.EN_ATTENTE
    assert telecharger(client, document).status_code == 404
    assert "En attente d’analyse" in client.get(projet_public.get_absolute_url()).content.decode()
