"""The shared checks of uploaded documents: zip bombs refused before storage, macros recognised by their content
types and relationships whatever the names, the same checks for fiches-action documents and Fonds vert pièces."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ti.core.televersements import verifier_document
from ti.financements.forms_depot import PieceForm

from ..projets.test_fiches_documents import docx_octets, odt_octets, xlsx_octets

VBA = "application/vnd.ms-office.vbaProject"
RELATION_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RELATION_ACTIVEX = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/control"


def fichier(nom: str, contenu: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type="application/octet-stream")


def modifier(contenu: bytes, ajouts: dict[str, bytes] = {}, remplacer=lambda nom, octets: octets) -> bytes:  # noqa: B006
    entree, sortie = zipfile.ZipFile(io.BytesIO(contenu)), io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as copie:
        for membre in entree.infolist():
            copie.writestr(membre.filename, remplacer(membre.filename, entree.read(membre)))
        for nom, octets in ajouts.items():
            copie.writestr(nom, octets)
    return sortie.getvalue()


def declarer(type_de_contenu: str, partie: str):
    override = f'<Override PartName="/{partie}" ContentType="{type_de_contenu}"/></Types>'.encode()

    def remplacer(nom, octets):
        return octets.replace(b"</Types>", override) if nom == "[Content_Types].xml" else octets

    return remplacer


def relier(type_de_relation: str, cible: str, rels="word/_rels/document.xml.rels"):
    relation = f'<Relationship Id="rIdMacro" Type="{type_de_relation}" Target="{cible}"/></Relationships>'.encode()

    def remplacer(nom, octets):
        return octets.replace(b"</Relationships>", relation) if nom == rels else octets

    return remplacer


def refus(nom: str, contenu: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as erreur:
        verifier_document(fichier(nom, contenu))
    return erreur.value


def test_une_bombe_de_decompression_en_docx_est_refusee():
    bombe = modifier(docx_octets(), {"word/media/image1.png": b"\0" * (8 * 1024 * 1024)})
    assert len(bombe) < 100_000

    erreur = refus("etude.docx", bombe)

    assert erreur.code == "archive"
    assert erreur.messages[0].startswith("Le fichier « etude.docx » est refusé : le fichier est compressé plus de 100")


def test_une_bombe_de_decompression_en_ods_est_refusee():
    from .test_limites_tableaux import retoucher

    bombe = retoucher(odt_octets(), "Pictures/fond.png", lambda _: b"\0" * (8 * 1024 * 1024))

    assert refus("compte-rendu.odt", bombe).code == "archive"


def test_un_projet_vba_nomme_autrement_mais_declare_comme_tel_est_refuse():
    contenu = modifier(docx_octets(), {"word/donnees.dat": b"\0" * 64}, declarer(VBA, "word/donnees.dat"))

    erreur = refus("note.docx", contenu)

    assert erreur.code == "contenu"
    assert "contient des macros" in erreur.messages[0]


def test_le_type_de_contenu_se_lit_sans_tenir_compte_de_la_casse():
    contenu = modifier(
        docx_octets(), {"word/x.bin": b"\0"}, declarer("APPLICATION/VND.MS-OFFICE.VBAPROJECT", "word/x.bin")
    )

    assert "contient des macros" in refus("note.docx", contenu).messages[0]


def test_un_classeur_declare_avec_macros_est_refuse():
    def en_xlsm(nom, octets):
        if nom != "[Content_Types].xml":
            return octets
        return octets.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )

    assert "contient des macros" in refus("budget.xlsx", modifier(xlsx_octets(), remplacer=en_xlsm)).messages[0]


@pytest.mark.parametrize("nom", ["word/VBAPROJECT.BIN", "word/activeX/activeX1.xml"])
def test_les_noms_de_macros_sont_reconnus_en_majuscules(nom):
    assert "contient des macros" in refus("note.docx", modifier(docx_octets(), {nom: b"\0" * 16})).messages[0]


@pytest.mark.parametrize("relation", [RELATION_VBA, RELATION_ACTIVEX])
def test_une_relation_vers_des_macros_est_refusee(relation):
    contenu = modifier(docx_octets(), {"word/piece.bin": b"\0" * 16}, relier(relation, "piece.bin"))

    assert "contient des macros" in refus("note.docx", contenu).messages[0]


def test_des_macros_basic_dans_un_document_opendocument_sont_refusees():
    contenu = modifier(odt_octets(), {"Basic/Standard/Module1.xml": b"<module/>"})

    assert "contient des macros" in refus("compte-rendu.odt", contenu).messages[0]


def test_un_document_ordinaire_reste_accepte():
    contenu = modifier(
        docx_octets(),
        remplacer=relier("http://schemas.openxmlformats.org/officeDocument/2006/relationships/image", "media/a.png"),
    )

    assert verifier_document(fichier("note.docx", contenu)).endswith("wordprocessingml.document")


def test_les_pieces_du_fonds_vert_passent_les_memes_controles():
    bombe = modifier(docx_octets(), {"word/media/image1.png": b"\0" * (8 * 1024 * 1024)})
    form = PieceForm(data={"type": "devis"}, files={"fichier": fichier("devis.docx", bombe)})

    assert not form.is_valid()
    assert (
        "Le fichier « devis.docx » est refusé : le fichier est compressé plus de 100 fois" in form.errors["fichier"][0]
    )
