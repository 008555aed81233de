"""Reading the tables people send: CSV as spreadsheets write them, and XLSX workbooks.

CSV: UTF-8 with or without BOM, UTF-16 with BOM, or the Windows-1252 (Latin-1) that French Excel writes; comma,
semicolon or tab, guessed from the header line. XLSX: the first sheet, with openpyxl in read-only mode (and
defusedxml, installed, against XML attacks). Every value comes back as stripped text, so that callers parse one
kind of input whatever the format: dates as AAAA-MM-JJ, numbers with a dot, booleans as « oui » / « non ».

What is wrong with the file itself (empty, undecodable, not a table) raises `TableauIllisible` with a French
message and, where known, the line; checking the columns and the values is the caller's job.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

SEPARATEURS_POSSIBLES = (";", ",", "\t")
CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SIGNATURE_ZIP = b"PK\x03\x04"  # XLSX and ODS are ZIP archives
SIGNATURE_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)
AUCUNE_DONNEE = "le fichier ne contient que sa ligne d’en-tête, aucune donnée."


class TableauIllisible(Exception):
    """The file cannot be read as a table; `message` says why in French, `ligne` where when it is known."""

    def __init__(self, message: str, ligne: int | None = None):
        super().__init__(message)
        self.message = message
        self.ligne = ligne


@dataclass
class Tableau:
    """The header (stripped names, as written) and the non-blank rows as (line number in the file, values).

    Rows shorter than the header are padded with "" ; longer ones keep their extra values, so that a caller can
    tell a shifted row (a separator inside an unquoted text) from a complete one.
    """

    format: str  # "csv" or "xlsx"
    entete: list[str]
    lignes: list[tuple[int, list[str]]]
    separateur: str = ""


def lire_tableau(contenu: bytes, *, lignes_max: int | None = None) -> Tableau:
    """CSV or XLSX, told apart by their content (not by the file's name, which users change)."""
    if contenu.startswith(SIGNATURE_ZIP):
        return lire_xlsx(contenu, lignes_max=lignes_max)
    if contenu.startswith(SIGNATURE_OLE):
        raise TableauIllisible(
            "classeur Excel 97-2003 (.xls) non pris en charge : enregistrez-le au format « Classeur Excel (.xlsx) » "
            "ou « CSV UTF-8 »."
        )
    return lire_csv(contenu, lignes_max=lignes_max)


def lire_csv(contenu: bytes, *, lignes_max: int | None = None) -> Tableau:
    texte = decoder(contenu)
    if not texte.strip():
        raise TableauIllisible("le fichier est vide.")
    premiere = texte.splitlines()[0]
    separateur = max(SEPARATEURS_POSSIBLES, key=premiere.count)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    lignes = []
    try:
        entete = [colonne.strip().strip("\ufeff") for colonne in next(lecteur)]
        for valeurs in lecteur:
            if not any(valeur.strip() for valeur in valeurs):
                continue
            _verifier_le_nombre(len(lignes), lignes_max)
            lignes.append((lecteur.line_num, _completer([valeur.strip() for valeur in valeurs], len(entete))))
    except csv.Error as e:
        raise TableauIllisible(f"CSV illisible : {e}.", lecteur.line_num) from e
    return Tableau(format="csv", entete=entete, lignes=lignes, separateur=separateur)


def lire_xlsx(contenu: bytes, *, lignes_max: int | None = None) -> Tableau:
    """The first sheet; its first non-blank row is the header. Formulas give their last computed value."""
    import openpyxl  # imported here: a CSV-only caller does not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise TableauIllisible(
            "classeur illisible : ce fichier n’est pas un classeur Excel (.xlsx) valide. "
            "Enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV UTF-8 »."
        ) from e
    try:
        feuille = classeur.worksheets[0]
        entete, lignes = None, []
        for numero, cellules in enumerate(feuille.iter_rows(values_only=True), start=1):
            valeurs = [_texte_de_cellule(valeur) for valeur in cellules]
            if not any(valeurs):
                continue
            if entete is None:
                while valeurs and not valeurs[-1]:  # formatted but empty columns on the right
                    valeurs.pop()
                entete = valeurs
                continue
            _verifier_le_nombre(len(lignes), lignes_max)
            while len(valeurs) > len(entete) and not valeurs[-1]:
                valeurs.pop()
            lignes.append((numero, _completer(valeurs, len(entete))))
    finally:
        classeur.close()
    if entete is None:
        raise TableauIllisible("le fichier est vide.")
    return Tableau(format="xlsx", entete=entete, lignes=lignes)


def decoder(contenu: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or the Windows-1252 that French Excel writes."""
    try:
        if contenu.startswith(codecs.BOM_UTF8):
            texte = contenu[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif contenu.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            texte = contenu.decode("utf-16")
        else:
            try:
                texte = contenu.decode("utf-8")
            except UnicodeDecodeError:
                texte = contenu.decode("cp1252")  # a superset of Latin-1 for the printable characters
    except UnicodeDecodeError as e:
        raise TableauIllisible(
            f"fichier illisible : ni UTF-8 ni Windows-1252 (Latin-1), octet 0x{contenu[e.start]:02x} "
            "inattendu. Enregistrez-le au format « CSV UTF-8 ».",
            contenu[: e.start].count(b"\n") + 1,
        ) from e
    if controle := CARACTERES_DE_CONTROLE.search(texte):
        raise TableauIllisible(
            f"fichier illisible : caractère de contrôle U+{ord(controle.group()):04X} ; "
            "est-ce bien un fichier CSV (et non un classeur Excel) ?",
            texte.count("\n", 0, controle.start()) + 1,
        )
    return texte


def _verifier_le_nombre(deja_lues: int, lignes_max: int | None) -> None:
    if lignes_max is not None and deja_lues >= lignes_max:
        raise TableauIllisible(
            f"le fichier compte plus de {_n(lignes_max)} lignes de données : découpez-le en plusieurs fichiers."
        )


def _n(nombre: int) -> str:
    return f"{nombre:,}".replace(",", " ")


def _completer(valeurs: list[str], largeur: int) -> list[str]:
    return valeurs + [""] * (largeur - len(valeurs))


def _texte_de_cellule(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime.datetime):
        return valeur.date().isoformat() if valeur.time() == datetime.time() else valeur.isoformat(sep=" ")
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() and abs(valeur) < 1e15 else repr(valeur)
    return str(valeur).strip()
