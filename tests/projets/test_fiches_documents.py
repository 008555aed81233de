"""Documents of a fiche-action: size and type limits checked on the content, storage, who downloads, archiving."""

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from odf.opendocument import OpenDocumentText
from odf.text import P

from ti.core.limites import TAILLE_DOCUMENT_MAX as TAILLE_MAX
from ti.core.models import Journal
from ti.core.televersements import verifier_document
from ti.projets.actions import fiches as actions
from ti.projets.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx_octets() -> bytes:
    document = docx.Document()
    document.add_paragraph("Étude de faisabilité")
    tampon = io.BytesIO()
    document.save(tampon)
    return tampon.getvalue()


def xlsx_octets() -> bytes:
    classeur = openpyxl.Workbook()
    classeur.active["A1"] = "Plan de financement"
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def ods_octets() -> bytes:
    return tablib.Dataset(["Région", 80000], headers=["Financeur", "Montant"]).export("ods")


def odt_octets() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text="Compte rendu du comité de pilotage"))
    tampon = io.BytesIO()
    document.write(tampon)
    return tampon.getvalue()


def zip_octets(membres: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        for nom, contenu in membres.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()


def fichier(nom: str, contenu: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type="application/octet-stream")


# The checks themselves.


@pytest.mark.parametrize(
    ("nom", "fabrique", "type_mime"),
    [
        ("etude.pdf", lambda: PDF, "application/pdf"),
        ("Étude.PDF", lambda: PDF, "application/pdf"),
        ("plan.png", lambda: PNG, "image/png"),
        ("photo.jpg", lambda: JPEG, "image/jpeg"),
        ("photo.jpeg", lambda: JPEG, "image/jpeg"),
        ("note.docx", docx_octets, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budget.xlsx", xlsx_octets, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("budget.ods", ods_octets, "application/vnd.oasis.opendocument.spreadsheet"),
        ("compte-rendu.odt", odt_octets, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_les_formats_acceptes_sont_reconnus_a_leur_contenu(nom, fabrique, type_mime):
    assert verifier_document(fichier(nom, fabrique())) == type_mime


@pytest.mark.parametrize(
    ("nom", "fabrique", "debut_du_message"),
    [
        ("rapport.pdf", lambda: EXECUTABLE, "Le contenu du fichier « rapport.pdf » n’est pas celui d’un fichier PDF"),
        ("photo.png", lambda: JPEG, "Le contenu du fichier « photo.png » n’est pas celui d’un fichier PNG"),
        ("note.docx", xlsx_octets, "Le contenu du fichier « note.docx » n’est pas celui d’un fichier DOCX"),
        ("budget.xlsx", docx_octets, "Le contenu du fichier « budget.xlsx » n’est pas celui d’un fichier XLSX"),
        ("budget.ods", odt_octets, "Le contenu du fichier « budget.ods » n’est pas celui d’un fichier ODS"),
        ("archive.docx", lambda: zip_octets({"a.txt": b"x"}), "Le contenu du fichier « archive.docx »"),
        ("tronque.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 40, "Le contenu du fichier « tronque.xlsx »"),
    ],
)
def test_un_contenu_qui_ne_correspond_pas_a_l_extension_est_refuse(nom, fabrique, debut_du_message):
    with pytest.raises(ValidationError) as erreur:
        verifier_document(fichier(nom, fabrique()))
    assert erreur.value.code == "contenu"
    assert erreur.value.messages[0].startswith(debut_du_message)


def test_un_document_avec_macros_renomme_en_docx_est_refuse():
    avec_macros = io.BytesIO(docx_octets())
    with zipfile.ZipFile(avec_macros, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    with pytest.raises(ValidationError) as erreur:
        verifier_document(fichier("note.docx", avec_macros.getvalue()))
    assert erreur.value.code == "contenu"


@pytest.mark.parametrize(
    ("nom", "message"),
    [
        (
            "installeur.exe",
            "Le format « .exe » n’est pas accepté : déposez un fichier PDF, DOCX, XLSX, ODT, ODS, PNG ou JPEG.",
        ),
        (
            "script.sh",
            "Le format « .sh » n’est pas accepté : déposez un fichier PDF, DOCX, XLSX, ODT, ODS, PNG ou JPEG.",
        ),
        (
            "LISEZMOI",
            "Le format sans extension n’est pas accepté : déposez un fichier PDF, DOCX, XLSX, ODT, ODS, PNG ou JPEG.",
        ),
    ],
)
def test_une_extension_non_acceptee_est_refusee(nom, message):
    with pytest.raises(ValidationError) as erreur:
        verifier_document(fichier(nom, EXECUTABLE))
    assert erreur.value.messages == [message]


def test_un_fichier_de_plus_de_10_mo_est_refuse_et_10_mo_tout_juste_accepte():
    assert verifier_document(fichier("limite.pdf", PDF + b"\x00" * (TAILLE_MAX - len(PDF)))) == "application/pdf"
    with pytest.raises(ValidationError) as erreur:
        verifier_document(fichier("trop-lourd.pdf", PDF + b"\x00" * (TAILLE_MAX + 1 - len(PDF))))
    assert erreur.value.messages == ["Le fichier « trop-lourd.pdf » pèse 10,0 Mo : la taille maximale est de 10 Mo."]


def test_un_fichier_vide_est_refuse():
    with pytest.raises(ValidationError) as erreur:
        verifier_document(fichier("vide.pdf", b""))
    assert erreur.value.messages == ["Le fichier « vide.pdf » est vide."]


# Through the fiche's page.


def url_depot(projet):
    return reverse("projets:deposer_document", args=[projet.pk])


def test_le_chef_de_projet_depose_un_document_range_sous_media_root(client, chef_projet, projet_public, settings):
    client.force_login(chef_projet)
    reponse = client.post(url_depot(projet_public), {"fichier": fichier("Étude de marché.pdf", PDF)})

    assert reponse.status_code == 302 and reponse.url.endswith("#documents")
    document = Document.objects.get()
    assert document.nom == "Étude de marché.pdf" and document.type_mime == "application/pdf"
    assert document.taille == len(PDF) and document.depose_par == chef_projet
    chemin = Path(document.fichier.path)
    assert chemin.is_relative_to(Path(settings.MEDIA_ROOT) / "projets" / str(projet_public.uuid))
    assert chemin.read_bytes() == PDF
    assert Journal.objects.get(action="document_depose").details == {"document": [None, "Étude de marché.pdf"]}
    page = client.get(projet_public.get_absolute_url()).content.decode()
    assert "Étude de marché.pdf" in page and reverse("projets:document", args=[projet_public.pk, document.pk]) in page


def test_un_depot_ne_cree_pas_de_nouvelle_version_de_la_fiche(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    client.post(url_depot(projet_public), {"fichier": fichier("etude.pdf", PDF)})
    projet_public.refresh_from_db()
    assert projet_public.version == 1


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("trop-lourd.pdf", PDF + b"\x00" * TAILLE_MAX, "pèse 10,0 Mo : la taille maximale est de 10 Mo."),
        ("installeur.exe", EXECUTABLE, "Le format « .exe » n’est pas accepté"),
        ("rapport.pdf", EXECUTABLE, "n’est pas celui d’un fichier PDF : il a peut-être été renommé."),
    ],
)
def test_un_depot_refuse_le_dit_en_francais_sur_la_fiche(client, chef_projet, projet_public, nom, contenu, message):
    client.force_login(chef_projet)
    reponse = client.post(url_depot(projet_public), {"fichier": fichier(nom, contenu)})
    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    assert "<title>Erreur — " in reponse.content.decode()
    assert not Document.objects.exists()


def test_un_depot_sans_fichier_est_refuse(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    reponse = client.post(url_depot(projet_public), {})
    assert reponse.status_code == 400
    assert "Choisissez le fichier à déposer." in reponse.content.decode()


def test_le_binome_ne_depose_pas_de_document(client, binome, projet_public):
    client.force_login(binome)
    assert client.post(url_depot(projet_public), {"fichier": fichier("etude.pdf", PDF)}).status_code == 403
    assert not Document.objects.exists()


def test_le_chef_de_projet_d_un_autre_territoire_ne_trouve_pas_le_depot(client, autre_chef_projet, projet_public):
    client.force_login(autre_chef_projet)
    assert client.post(url_depot(projet_public), {"fichier": fichier("etude.pdf", PDF)}).status_code == 404


def test_le_depot_ne_se_fait_qu_en_post(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    assert client.get(url_depot(projet_public)).status_code == 405


# Downloads.


def deposer(projet, par, nom="etude.pdf", contenu=PDF) -> Document:
    return actions.deposer_document(projet=projet, par=par, fichier=fichier(nom, contenu))


def url_document(document):
    return reverse("projets:document", args=[document.projet_id, document.pk])


def test_un_visiteur_telecharge_le_document_d_une_fiche_publiee(client, chef_projet, projet_public):
    document = deposer(projet_public, chef_projet, nom="Étude.pdf")
    reponse = client.get(url_document(document))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == PDF
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment;")
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_le_document_d_une_fiche_privee_est_reserve_a_l_equipe(
    client, chef_projet, binome, instructeur_region, autre_chef_projet, projet_prive
):
    document = deposer(projet_prive, chef_projet)
    assert client.get(url_document(document)).status_code == 404
    client.force_login(autre_chef_projet)
    assert client.get(url_document(document)).status_code == 404
    for personne in (binome, instructeur_region):
        client.force_login(personne)
        reponse = client.get(url_document(document))
        assert reponse.status_code == 200
        assert b"".join(reponse.streaming_content) == PDF


def test_un_document_ne_se_telecharge_pas_par_une_autre_fiche(client, chef_projet, projet_public, projet_prive):
    document = deposer(projet_prive, chef_projet)
    url = reverse("projets:document", args=[projet_public.pk, document.pk])  # a public fiche, another's document
    assert client.get(url).status_code == 404


def test_un_document_retire_reste_archive_mais_ne_se_telecharge_plus(client, chef_projet, projet_public):
    document = deposer(projet_public, chef_projet)
    client.force_login(chef_projet)
    reponse = client.post(reverse("projets:archiver_document", args=[projet_public.pk, document.pk]))
    assert reponse.status_code == 302
    document.refresh_from_db()
    assert document.archive_le is not None
    assert Path(document.fichier.path).exists()  # archived, not deleted
    assert client.get(url_document(document)).status_code == 404
    page = client.get(projet_public.get_absolute_url()).content.decode()
    assert url_document(document) not in page
    assert "Aucun document n’est joint à cette fiche." in page
    assert Journal.objects.get(action="document_archive").details == {"document": ["etude.pdf", None]}


def test_le_binome_ne_retire_pas_de_document(client, chef_projet, binome, projet_public):
    document = deposer(projet_public, chef_projet)
    client.force_login(binome)
    assert client.post(reverse("projets:archiver_document", args=[projet_public.pk, document.pk])).status_code == 403
    document.refresh_from_db()
    assert document.archive_le is None
