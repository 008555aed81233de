"""Checks of the documents attached to a fiche-action: size, extension, and a content that matches the extension.

The extension alone proves nothing (a renamed executable keeps its bytes), so each accepted type is recognised by
its content: the signature at the start of the file, and for the office formats, which are all ZIP archives, the
members that only that format holds. Only the start of the file and the archive's directory are read, never the
whole content, so that a compressed bomb costs nothing to check.
"""

import zipfile
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.formats import number_format

TAILLE_MAX = 10 * 1024 * 1024  # 10 Mo

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
AIDE = f"Formats acceptés : {FORMATS_LISIBLES}. Taille maximale : 10 Mo."

_SIGNATURES = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
# Office Open XML: the part that makes the archive a text document or a workbook.
_PARTIES_OOXML = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def format_lisible(nom: str) -> str:
    """« Étude de faisabilité.PDF » → « PDF »; « photo.jpeg » → « JPEG »."""
    return PurePath(nom).suffix.lstrip(".").upper()


def en_mo(octets: int) -> str:
    """12 345 678 → « 11,8 Mo »."""
    return f"{number_format(octets / 1024 / 1024, 1)} Mo"


def _archive(fichier):
    try:
        return zipfile.ZipFile(fichier)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        return None


def _contenu_conforme(fichier, extension: str) -> bool:
    fichier.seek(0)
    debut = fichier.read(16)
    fichier.seek(0)
    if extension in _SIGNATURES:
        return debut.startswith(_SIGNATURES[extension])
    if not debut.startswith(b"PK\x03\x04"):
        return False
    archive = _archive(fichier)
    try:
        if archive is None:
            return False
        noms = set(archive.namelist())
        if extension in _PARTIES_OOXML:
            # A macro-enabled file renamed .docx or .xlsx carries a VBA project: refused like any other disguise.
            macros = any(nom.endswith("vbaProject.bin") for nom in noms)
            return "[Content_Types].xml" in noms and _PARTIES_OOXML[extension] in noms and not macros
        # OpenDocument: the first member, stored uncompressed, is `mimetype` and names the format.
        if "mimetype" not in noms or archive.getinfo("mimetype").file_size > 100:
            return False
        return archive.read("mimetype").strip() == TYPES_ACCEPTES[extension].encode()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        return False
    finally:
        if archive is not None:
            archive.close()
        fichier.seek(0)


def verifier_document(fichier) -> str:
    """The MIME type of an uploaded file whose size, extension and content are accepted; a French error otherwise."""
    nom = PurePath(fichier.name or "").name
    extension = PurePath(nom).suffix.lower().lstrip(".")
    if not fichier.size:
        raise ValidationError(f"Le fichier « {nom} » est vide.", code="vide")
    if fichier.size > TAILLE_MAX:
        raise ValidationError(
            f"Le fichier « {nom} » pèse {en_mo(fichier.size)} : la taille maximale est de 10 Mo.", code="taille"
        )
    if extension not in TYPES_ACCEPTES:
        format_refuse = f"« .{extension} » " if extension else "sans extension "
        raise ValidationError(
            f"Le format {format_refuse}n’est pas accepté : déposez un fichier {FORMATS_LISIBLES}.", code="format"
        )
    if not _contenu_conforme(fichier, extension):
        raise ValidationError(
            f"Le contenu du fichier « {nom} » n’est pas celui d’un fichier {extension.upper()} : il a peut-être été "
            f"renommé. Enregistrez-le de nouveau depuis le logiciel qui l’a créé, au format voulu.",
            code="contenu",
        )
    return TYPES_ACCEPTES[extension]
