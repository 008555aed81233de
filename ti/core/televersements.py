"""Checks of every uploaded document (fiches-action documents, pièces of a Fonds vert dossier): size, extension, a
content that matches the extension, archives within bounds, no macros.

The extension alone proves nothing (a renamed executable keeps its bytes), so each accepted type is recognised by
its content: the signature at the start of the file, and for the office formats, which are all ZIP archives, the
members that only that format holds. Only the start of the file, the archive's directory and its small descriptive
parts are read, never the whole content, so that a compressed bomb costs nothing to check (and is refused by the
bounds of ti/core/limites.py, not stored).

Macros are recognised as Office recognises them: by the content types declared in `[Content_Types].xml` and the
types of the relationships, not by a part's name, which anyone can change; names are compared case-insensitively.
"""

import re
from pathlib import PurePath

from defusedxml import ElementTree
from django.core.exceptions import ValidationError

from ti.core import archives
from ti.core.limites import TAILLE_DOCUMENT_MAX, en_mo

# Extension → MIME type, in the order the help text names them.
TYPES_ACCEPTES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
FORMATS_LISIBLES = "PDF, DOCX, XLSX, ODT, ODS, PNG ou JPEG"
TAILLE_LISIBLE = f"{TAILLE_DOCUMENT_MAX // 1024 // 1024} Mo"
AIDE = f"Formats acceptés : {FORMATS_LISIBLES}. Taille maximale : {TAILLE_LISIBLE}."

_SIGNATURES = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
# Office Open XML: the part that makes the archive a text document or a workbook.
_PARTIES_OOXML = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Content types of VBA projects (application/vnd.ms-office.vbaProject, …vbaData+xml), of macro-enabled main parts
# (application/vnd.ms-word.document.macroEnabled.main+xml, …) and of ActiveX controls (…activeX+xml).
_TYPES_DE_MACROS = re.compile(r"vbaproject|vbadata|macroenabled|activex", re.IGNORECASE)
# Relationship types pointing at them: …/relationships/vbaProject, …/wordVbaData, …/control, …/activeXControlBinary.
_RELATIONS_DE_MACROS = re.compile(r"vbaproject|vbadata|activexcontrol|/relationships/control$", re.IGNORECASE)
# Names, for a part not declared at all: a VBA project, ActiveX parts; in OpenDocument, Basic macros and scripts.
_NOMS_DE_MACROS = re.compile(r"(^|/)vbaproject\.bin$|(^|/)activex/|^basic/|^scripts/", re.IGNORECASE)


class _Macros(Exception):
    pass


def format_lisible(nom: str) -> str:
    """« Étude de faisabilité.PDF » → « PDF »; « photo.jpeg » → « JPEG »."""
    return PurePath(nom).suffix.lstrip(".").upper()


def _contenu_conforme(fichier, extension: str) -> bool:
    """Whether the content is that of the extension; raises ArchiveRefusee beyond the bounds, _Macros on macros."""
    fichier.seek(0)
    debut = fichier.read(16)
    fichier.seek(0)
    if extension in _SIGNATURES:
        return debut.startswith(_SIGNATURES[extension])
    if not debut.startswith(b"PK\x03\x04"):
        return False
    try:
        archive = archives.ouvrir(fichier)
    except archives.ERREURS_ZIP:
        return False
    try:
        noms = set(archive.namelist())
        if any(_NOMS_DE_MACROS.search(nom) for nom in noms):
            raise _Macros
        if extension in _PARTIES_OOXML:
            if "[Content_Types].xml" not in noms or _PARTIES_OOXML[extension] not in noms:
                return False
            _refuser_les_macros_ooxml(archive)
            return True
        # OpenDocument: the first member, stored uncompressed, is `mimetype` and names the format.
        if "mimetype" not in noms or archive.getinfo("mimetype").file_size > 100:
            return False
        return archive.read("mimetype").strip() == TYPES_ACCEPTES[extension].encode()
    except (*archives.ERREURS_ZIP, ElementTree.ParseError):
        return False
    finally:
        archive.close()
        fichier.seek(0)


def _refuser_les_macros_ooxml(archive) -> None:
    types = ElementTree.fromstring(archives.lire_partie(archive, archive.getinfo("[Content_Types].xml")))
    if any(_TYPES_DE_MACROS.search(element.get("ContentType", "")) for element in types):
        raise _Macros
    for membre in archive.infolist():
        if not membre.filename.lower().endswith(".rels"):
            continue
        relations = ElementTree.fromstring(archives.lire_partie(archive, membre))
        if any(_RELATIONS_DE_MACROS.search(relation.get("Type", "")) for relation in relations):
            raise _Macros


def verifier_document(fichier) -> str:
    """The MIME type of an uploaded file whose size, extension and content are accepted; a French error otherwise."""
    nom = PurePath(fichier.name or "").name
    extension = PurePath(nom).suffix.lower().lstrip(".")
    if not fichier.size:
        raise ValidationError(f"Le fichier « {nom} » est vide.", code="vide")
    if fichier.size > TAILLE_DOCUMENT_MAX:
        raise ValidationError(
            f"Le fichier « {nom} » pèse {en_mo(fichier.size)} : la taille maximale est de {TAILLE_LISIBLE}.",
            code="taille",
        )
    if extension not in TYPES_ACCEPTES:
        format_refuse = f"« .{extension} » " if extension else "sans extension "
        raise ValidationError(
            f"Le format {format_refuse}n’est pas accepté : déposez un fichier {FORMATS_LISIBLES}.", code="format"
        )
    try:
        conforme = _contenu_conforme(fichier, extension)
    except archives.ArchiveRefusee as refus:
        raise ValidationError(f"Le fichier « {nom} » est refusé : {refus.message}", code="archive") from refus
    except _Macros:
        raise ValidationError(
            f"Le fichier « {nom} » contient des macros ou des contrôles ActiveX, refusés pour la sécurité de ceux qui "
            f"l’ouvriront : enregistrez-le de nouveau au format {extension.upper()} sans macros.",
            code="contenu",
        ) from None
    if not conforme:
        raise ValidationError(
            f"Le contenu du fichier « {nom} » n’est pas celui d’un fichier {extension.upper()} : il a peut-être été "
            f"renommé. Enregistrez-le de nouveau depuis le logiciel qui l’a créé, au format voulu.",
            code="contenu",
        )
    return TYPES_ACCEPTES[extension]
