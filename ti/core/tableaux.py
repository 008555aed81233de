"""Reading the tables people send: CSV as spreadsheets write them, and XLSX workbooks.

CSV: UTF-8 with or without BOM, UTF-16 with BOM, or the Windows-1252 (Latin-1) that French Excel writes; comma,
semicolon or tab, guessed from the header line. XLSX: the first sheet, with openpyxl in read-only mode (and
defusedxml, installed, against XML attacks). Every value comes back as stripped text, so that callers parse one
kind of input whatever the format: dates as AAAA-MM-JJ, numbers with a dot, booleans as « oui » / « non ».

What is wrong with the file itself (empty, undecodable, not a table, beyond the bounds of ti/core/limites.py) raises
`TableauIllisible` with a French message and, where known, the line; checking the columns and the values is the
caller's job. The bounds are checked before the heavy work: the size first, then the header's width, and for XLSX
the archive's directory, the shared strings' count and the sheets' declared dimensions before openpyxl opens it.
"""

import codecs
import csv
import datetime
import io
import re
import time
import zipfile
from dataclasses import dataclass

from ti.core import archives
from ti.core.formats import nombre
from ti.core.limites import (
    CELLULES_DECLAREES_MAX,
    CHAINES_PARTAGEES_MAX,
    COLONNES_MAX,
    DUREE_LECTURE_MAX,
    LIGNES_MAX,
    LIGNES_VIDES_MAX,
    TAILLE_CHAINES_PARTAGEES_MAX,
    TAILLE_TABLEAU_MAX,
    en_mo,
)

SEPARATEURS_POSSIBLES = (";", ",", "\t")
CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SIGNATURE_ZIP = b"PK\x03\x04"  # XLSX and ODS are ZIP archives
SIGNATURE_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)
AUCUNE_DONNEE = "le fichier ne contient que sa ligne d’en-tête, aucune donnée."
CLASSEUR_ILLISIBLE = (
    "classeur illisible : ce fichier n’est pas un classeur Excel (.xlsx) valide. "
    "Enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV UTF-8 »."
)
# The first bytes of a sheet and of the shared strings, where the dimension and the counts are written.
DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?"'
)
COMPTE_DES_CHAINES = re.compile(rb'\b(?:count|uniqueCount)="(\d{1,12})"')
FEUILLE = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)


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


def lire_tableau(contenu: bytes, *, lignes_max: int | None = None, duree_max: float = DUREE_LECTURE_MAX) -> Tableau:
    """CSV or XLSX, told apart by their content (not by the file's name, which users change)."""
    if contenu.startswith(SIGNATURE_ZIP):
        return lire_xlsx(contenu, lignes_max=lignes_max, duree_max=duree_max)
    if contenu.startswith(SIGNATURE_OLE):
        raise TableauIllisible(
            "classeur Excel 97-2003 (.xls) non pris en charge : enregistrez-le au format « Classeur Excel (.xlsx) » "
            "ou « CSV UTF-8 »."
        )
    return lire_csv(contenu, lignes_max=lignes_max, duree_max=duree_max)


def lire_csv(contenu: bytes, *, lignes_max: int | None = None, duree_max: float = DUREE_LECTURE_MAX) -> Tableau:
    _verifier_la_taille(contenu)
    lecture = _Lecture(lignes_max, duree_max)
    texte = decoder(contenu)
    if not texte.strip():
        raise TableauIllisible("le fichier est vide.")
    premiere = re.match(r"[^\r\n]*", texte).group()
    separateur = max(SEPARATEURS_POSSIBLES, key=premiere.count)
    _verifier_la_largeur(premiere.count(separateur) + 1, 1)  # before splitting: a bound on the header's width
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    lignes = []
    try:
        entete = [colonne.strip().strip("\ufeff") for colonne in next(lecteur)]
        for valeurs in lecteur:
            lecture.ligne_lue(lecteur.line_num)
            if not any(valeur.strip() for valeur in valeurs):
                lecture.ligne_vide(lecteur.line_num)
                continue
            _verifier_la_largeur(len(valeurs), lecteur.line_num)
            lecture.ligne_de_donnees(len(lignes))
            lignes.append((lecteur.line_num, _completer([valeur.strip() for valeur in valeurs], len(entete))))
    except csv.Error as e:
        raise TableauIllisible(f"CSV illisible : {e}.", lecteur.line_num) from e
    return Tableau(format="csv", entete=entete, lignes=lignes, separateur=separateur)


def lire_xlsx(contenu: bytes, *, lignes_max: int | None = None, duree_max: float = DUREE_LECTURE_MAX) -> Tableau:
    """The first sheet; its first non-blank row is the header. Formulas give their last computed value."""
    import openpyxl  # imported here: a CSV-only caller does not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    _verifier_la_taille(contenu)
    lecture = _Lecture(lignes_max, duree_max)
    _verifier_le_classeur(contenu)
    try:
        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise TableauIllisible(CLASSEUR_ILLISIBLE) from e
    try:
        feuille = classeur.worksheets[0]
        # The declared dimension is checked above; rows are then read as written, neither padded to a declared width
        # nor cut at a declared last row (a dimension smaller than the content would silently drop rows).
        feuille.reset_dimensions()
        entete, lignes = None, []
        for numero, cellules in enumerate(feuille.iter_rows(values_only=True), start=1):
            lecture.ligne_lue(numero)
            _verifier_la_largeur(len(cellules), numero)
            valeurs = [_texte_de_cellule(valeur) for valeur in cellules]
            if not any(valeurs):
                lecture.ligne_vide(numero)
                continue
            if entete is None:
                while valeurs and not valeurs[-1]:  # formatted but empty columns on the right
                    valeurs.pop()
                entete = valeurs
                continue
            lecture.ligne_de_donnees(len(lignes))
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


class _Lecture:
    """The bounds of one reading: rows of data, blank rows in a row, and time."""

    def __init__(self, lignes_max: int | None, duree_max: float):
        self.lignes_max = min(lignes_max or LIGNES_MAX, LIGNES_MAX)
        self.duree_max = duree_max
        self.fin = time.monotonic() + duree_max
        self.vides = 0

    def ligne_lue(self, numero: int) -> None:
        if time.monotonic() > self.fin:
            raise TableauIllisible(
                f"la lecture du fichier a dépassé {self.duree_max:g} secondes (ligne {nombre(numero)}) : "
                "découpez-le en plusieurs fichiers.",
                numero,
            )

    def ligne_vide(self, numero: int) -> None:
        self.vides += 1
        if self.vides > LIGNES_VIDES_MAX:
            raise TableauIllisible(
                f"plus de {nombre(LIGNES_VIDES_MAX)} lignes vides d’affilée avant la ligne {nombre(numero)} : "
                "supprimez les lignes vides du fichier.",
                numero,
            )

    def ligne_de_donnees(self, deja_lues: int) -> None:
        self.vides = 0
        if deja_lues >= self.lignes_max:
            raise TableauIllisible(
                f"le fichier compte plus de {nombre(self.lignes_max)} lignes de données : "
                "découpez-le en plusieurs fichiers."
            )


def _verifier_la_taille(contenu: bytes) -> None:
    if len(contenu) > TAILLE_TABLEAU_MAX:
        raise TableauIllisible(
            f"le fichier pèse {en_mo(len(contenu))}, {en_mo(TAILLE_TABLEAU_MAX)} au plus : découpez-le en plusieurs."
        )


def _verifier_la_largeur(colonnes: int, ligne: int) -> None:
    if colonnes > COLONNES_MAX:
        ou = "l’en-tête compte" if ligne == 1 else f"la ligne {nombre(ligne)} compte"
        raise TableauIllisible(
            f"{ou} {nombre(colonnes)} colonnes, {COLONNES_MAX} au plus : est-ce bien le bon fichier ?", ligne
        )


def _verifier_le_classeur(contenu: bytes) -> None:
    """From the archive's directory and the first bytes of its parts, before openpyxl reads anything."""
    from openpyxl.utils import column_index_from_string

    try:
        archive = archives.ouvrir(io.BytesIO(contenu))
    except archives.ArchiveRefusee as e:
        raise TableauIllisible(e.message) from e
    except archives.ERREURS_ZIP as e:
        raise TableauIllisible(CLASSEUR_ILLISIBLE) from e
    with archive:
        try:
            chaines = archives.trouver(archive, "xl/sharedStrings.xml")
            if chaines is not None:
                debut = archives.lire_debut(archive, chaines)
                compte = max((int(n) for n in COMPTE_DES_CHAINES.findall(debut)), default=0)
                if chaines.file_size > TAILLE_CHAINES_PARTAGEES_MAX or compte > CHAINES_PARTAGEES_MAX:
                    raise TableauIllisible(
                        f"le classeur contient {nombre(compte)} textes ({en_mo(chaines.file_size)}), "
                        f"{nombre(CHAINES_PARTAGEES_MAX)} textes et {en_mo(TAILLE_CHAINES_PARTAGEES_MAX)} au plus : "
                        "découpez-le en plusieurs fichiers."
                    )
            for membre in archive.infolist():
                if not FEUILLE.fullmatch(membre.filename):
                    continue
                dimension = DIMENSION.search(archives.lire_debut(archive, membre))
                if dimension is None:
                    continue
                lignes = int(dimension.group(4) or dimension.group(2))
                colonnes = column_index_from_string((dimension.group(3) or dimension.group(1)).decode().upper())
                if (
                    colonnes > COLONNES_MAX
                    or lignes > LIGNES_MAX + LIGNES_VIDES_MAX
                    or (lignes * colonnes > CELLULES_DECLAREES_MAX)
                ):
                    raise TableauIllisible(
                        f"une feuille du classeur déclare {nombre(lignes)} lignes sur {nombre(colonnes)} colonnes, "
                        f"{nombre(LIGNES_MAX)} lignes et {COLONNES_MAX} colonnes au plus : supprimez les lignes et "
                        "colonnes vides en trop, ou enregistrez le tableau au format « CSV UTF-8 »."
                    )
        except archives.ArchiveRefusee as e:
            raise TableauIllisible(e.message) from e
        except (*archives.ERREURS_ZIP, ValueError) as e:
            raise TableauIllisible(CLASSEUR_ILLISIBLE) from e


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
