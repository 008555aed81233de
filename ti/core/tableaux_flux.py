"""Reading large tables row by row, for tools that give back the file they were sent (the cross-file tool).

`ti.core.tableaux` loads a whole table in memory, which suits imports of a few thousand rows. This module reads a
file saved on disk in one pass at a time, in bounded memory, and keeps every row, blank ones included, with its
values as written (CSV: text as is; XLSX: the cells' own types), so that the file can be written back unchanged.

`examiner()` checks the whole file before anything is written back (encoding, separator, CSV syntax, size, ZIP
bombs) and returns what the user needs to choose a column; `lignes()` then reads the rows again, one at a time.
Everything wrong with the file raises `TableauIllisible` with a French message.
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ti.core.formats import nombre as _n
from ti.core.tableaux import (
    CARACTERES_DE_CONTROLE,
    SEPARATEURS_POSSIBLES,
    SIGNATURE_OLE,
    SIGNATURE_ZIP,
    TableauIllisible,
)

# Bounds of their own (the shared ones are in ti/core/limites.py): this reader streams, so it accepts larger files.
TAILLE_MAX = 200 * 1024 * 1024  # bytes of the file sent (a million rows of a dozen columns is about 100 Mo)
LIGNES_MAX = 1_048_575  # data rows of a CSV: what one Excel sheet holds under its header
# Data rows of a workbook: openpyxl reads and writes about 30 times slower than csv (0.1 to 0.4 ms a row here), so a
# larger table is asked for as CSV rather than kept a server's worker busy for minutes.
LIGNES_MAX_XLSX = 100_000
DECOMPRESSE_MAX = 2 * 1024 * 1024 * 1024  # bytes of XML an XLSX may unfold into
TAUX_DE_COMPRESSION_MAX = 200  # sheets' XML compresses 10 to 50 times; ZIP bombs a thousand times and more
LIGNES_APERCU = 5
_PAQUET = 1024 * 1024  # bytes read at once when scanning the raw file
# A UTF-8 multibyte sequence for the accented letters of French: in a Windows-1252 file they read « Ã© », never
# written on purpose. Found in a file that is not valid UTF-8, it means two encodings mixed in one file.
_UTF8_FRANCAIS = re.compile(rb"[\xc2\xc3\xc5][\x80-\xbf]|\xe2\x80[\x98-\xa6]")
ENCODAGES = {"utf-8-sig": "UTF-8 avec BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}


@dataclass
class Examen:
    """What a first pass over the file found: enough to choose a column and to read the rows again."""

    format: str  # "csv" or "xlsx"
    entete: list[str]
    apercu: list[list[str]]  # the first rows, as text
    lignes: int | None = None  # data rows (CSV; None for XLSX, counted while reading)
    encodage: str = ""
    separateur: str = ""
    remarques: list[str] = field(default_factory=list)

    def en_dict(self) -> dict:
        return self.__dict__.copy()


def examiner(chemin: Path) -> Examen:
    """The whole file checked: CSV or XLSX, told apart by their content (users rename files)."""
    taille = chemin.stat().st_size
    if taille > TAILLE_MAX:
        raise TableauIllisible(
            f"le fichier pèse {_n(taille // 1024 // 1024)} Mo, {_n(TAILLE_MAX // 1024 // 1024)} Mo au plus : "
            "découpez-le en plusieurs fichiers."
        )
    with chemin.open("rb") as flux:
        debut = flux.read(4)
    if debut.startswith(SIGNATURE_ZIP):
        return _examiner_xlsx(chemin)
    if debut.startswith(SIGNATURE_OLE):
        raise TableauIllisible(
            "classeur Excel 97-2003 (.xls) non pris en charge : enregistrez-le au format « Classeur Excel (.xlsx) » "
            "ou « CSV UTF-8 »."
        )
    return _examiner_csv(chemin)


def lignes(chemin: Path, examen: Examen) -> Iterator[list]:
    """The data rows, in order, blank ones included; CSV values as text, XLSX cells as their type."""
    if examen.format == "xlsx":
        yield from _lignes_xlsx(chemin)
    else:
        with chemin.open(encoding=examen.encodage, newline="") as texte:
            lecteur = csv.reader(texte, delimiter=examen.separateur)
            next(lecteur, None)
            yield from lecteur


# CSV ---------------------------------------------------------------------------------------------------------------


def _encodage_annonce(chemin: Path) -> str | None:
    with chemin.open("rb") as flux:
        debut = flux.read(3)
    if debut.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if debut.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _contient_de_l_utf8(chemin: Path) -> bool:
    with chemin.open("rb") as flux:
        reste = b""
        while paquet := flux.read(_PAQUET):
            if _UTF8_FRANCAIS.search(reste + paquet):
                return True
            reste = paquet[-2:]
    return False


def _examiner_csv(chemin: Path) -> Examen:
    annonce = _encodage_annonce(chemin)
    if annonce:
        return _lire_csv(chemin, annonce)
    try:
        return _lire_csv(chemin, "utf-8")
    except UnicodeDecodeError:
        pass
    if _contient_de_l_utf8(chemin):
        raise TableauIllisible(
            "encodage indécidable : le fichier mêle des caractères UTF-8 et Windows-1252. "
            "Enregistrez-le de nouveau au format « CSV UTF-8 »."
        )
    try:
        examen = _lire_csv(chemin, "cp1252")
    except UnicodeDecodeError as e:
        raise TableauIllisible(
            f"fichier illisible : ni UTF-8 ni Windows-1252 (Latin-1), octet 0x{e.object[e.start]:02x} inattendu. "
            "Enregistrez-le au format « CSV UTF-8 »."
        ) from e
    examen.remarques.append("Encodage Windows-1252 (Excel français) reconnu ; le résultat est écrit en UTF-8.")
    return examen


def _lire_csv(chemin: Path, encodage: str) -> Examen:
    """One pass over every row: raises UnicodeDecodeError for the wrong encoding, `TableauIllisible` otherwise."""
    with chemin.open(encoding=encodage, newline="") as texte:
        premiere = texte.readline()
        if not premiere.strip():
            raise TableauIllisible("le fichier est vide ou sa première ligne (l’en-tête) est vide.")
        separateur = max(SEPARATEURS_POSSIBLES, key=premiere.count)
        texte.seek(0)
        lecteur = csv.reader(texte, delimiter=separateur)
        entete = [colonne.strip().strip("\ufeff") for colonne in next(lecteur)]
        apercu, compte = [], 0
        try:
            for valeurs in lecteur:
                compte += 1
                if compte > LIGNES_MAX:
                    raise TableauIllisible(
                        f"le fichier compte plus de {_n(LIGNES_MAX)} lignes de données : découpez-le en plusieurs "
                        "fichiers."
                    )
                if len(apercu) < LIGNES_APERCU:
                    apercu.append(valeurs)
                if CARACTERES_DE_CONTROLE.search("".join(valeurs)):
                    raise TableauIllisible(
                        "fichier illisible : caractère de contrôle ; est-ce bien un fichier CSV ?", lecteur.line_num
                    )
        except csv.Error as e:
            raise TableauIllisible(
                f"CSV illisible : une valeur dépasse {_n(csv.field_size_limit())} caractères "
                "(un guillemet ouvert et jamais refermé ?).",
                lecteur.line_num,
            ) from e
    if not any(entete):
        raise TableauIllisible("la première ligne (l’en-tête) ne nomme aucune colonne.")
    return Examen("csv", entete, apercu, compte, encodage, separateur)


def _classeur_trop_long() -> TableauIllisible:
    return TableauIllisible(
        f"le classeur compte plus de {_n(LIGNES_MAX_XLSX)} lignes de données : enregistrez-le au format "
        f"« CSV UTF-8 », traité bien plus vite et jusqu’à {_n(LIGNES_MAX)} lignes."
    )


# XLSX --------------------------------------------------------------------------------------------------------------


def _verifier_l_archive(chemin: Path) -> None:
    """Before openpyxl unzips anything: a ZIP that is no workbook, or that unfolds into too much XML, is refused."""
    illisible = TableauIllisible(
        "classeur illisible : ce fichier n’est pas un classeur Excel (.xlsx) valide. "
        "Enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV UTF-8 »."
    )
    try:
        with zipfile.ZipFile(chemin) as archive:
            membres = archive.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise illisible from e
    noms = {membre.filename for membre in membres}
    if "xl/workbook.xml" not in noms:
        raise illisible
    total = sum(membre.file_size for membre in membres)
    gonfle = any(
        membre.file_size > TAUX_DE_COMPRESSION_MAX * max(membre.compress_size, 1) and membre.file_size > _PAQUET
        for membre in membres
    )
    if total > DECOMPRESSE_MAX or gonfle:
        raise TableauIllisible(
            "classeur refusé : une fois décompressé, il occuperait bien plus que sa taille ne le laisse attendre "
            "(archive piégée ?). Enregistrez-le au format « CSV UTF-8 »."
        )


def _ouvrir_classeur(chemin: Path, flux):
    import openpyxl  # imported here: a CSV-only caller does not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    _verifier_l_archive(chemin)
    try:  # a file object, not the path: openpyxl would refuse a stored file's name without .xlsx
        return openpyxl.load_workbook(flux, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise TableauIllisible("classeur illisible : le classeur Excel (.xlsx) est endommagé.") from e


def _rangees(chemin: Path) -> Iterator[list]:
    """Every row of the first sheet from its first non-blank one (the header), blank rows included."""
    with chemin.open("rb") as flux:
        classeur = _ouvrir_classeur(chemin, flux)
        try:
            feuille = classeur.worksheets[0]
            if (feuille.max_row or 0) > LIGNES_MAX_XLSX + 1:  # the size the sheet declares, read before its rows
                raise _classeur_trop_long()
            entete_vue = False
            for cellules in feuille.iter_rows(values_only=True):
                valeurs = list(cellules)
                if not entete_vue and all(valeur is None or str(valeur).strip() == "" for valeur in valeurs):
                    continue
                entete_vue = True
                yield valeurs
        finally:
            classeur.close()


def _examiner_xlsx(chemin: Path) -> Examen:
    rangees = _rangees(chemin)
    try:
        entete = next(rangees, None)
        if entete is None:
            raise TableauIllisible("le fichier est vide.")
        entete = [texte_de_cellule(valeur) for valeur in entete]
        while entete and not entete[-1]:  # formatted but empty columns on the right
            entete.pop()
        apercu = []
        for valeurs in rangees:
            apercu.append([texte_de_cellule(valeur) for valeur in valeurs])
            if len(apercu) == LIGNES_APERCU:
                break
    finally:
        rangees.close()
    return Examen("xlsx", entete, apercu)


def _lignes_xlsx(chemin: Path) -> Iterator[list]:
    rangees = _rangees(chemin)
    try:
        next(rangees, None)
        for compte, valeurs in enumerate(rangees, start=1):
            if compte > LIGNES_MAX_XLSX:  # a sheet that declares no size, or a wrong one
                raise _classeur_trop_long()
            yield valeurs
    finally:
        rangees.close()


def texte_de_cellule(valeur) -> str:
    """A cell as the text a person reads in it: 1053.0 stays « 1053.0 » so that callers can say they fixed it."""
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer() and abs(valeur) < 1e15:
        return f"{valeur:.1f}"
    return str(valeur).strip()
