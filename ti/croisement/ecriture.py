"""Writing the file back: the same rows, in the same order, with the Territoires d'industrie columns added.

CSV in → CSV out, written in pieces as the rows are read (UTF-8 with BOM, so that Excel reads the accents; the
file's own separator). XLSX in → XLSX out, through openpyxl's write-only workbook, which keeps one row in memory.
Every text cell goes through the platform's `neutraliser` (ti/core/exports.py): a cell of the file sent, or a name,
that starts like a formula must not run as one in the spreadsheet that opens the result.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ti.core import tableaux_flux
from ti.core.exports import neutraliser
from ti.core.tableaux_flux import Examen

from .correspondances import correspondances
from .placement import COLONNES_AJOUTEES, Choix, Placement

LIGNES_PAR_MORCEAU = 2000  # rows written per piece of the streamed CSV
_SEPARATEUR_INTERNE = "\x1f"  # a control character: `tableaux_flux` refuses CSV files that hold one
# Does a cell of this row (joined by the separator above) start like a formula, maybe after spaces? One search per
# row instead of a call per cell: most rows have none, and only theirs pay for the shared `neutraliser`.
_UNE_CELLULE_A_RISQUE = re.compile(r"\x1f[ \u00a0]*[=+\-@\t\r]")  # a literal first: re scans for it fast


def placement_pour(examen: Examen, choix: Choix) -> Placement:
    return Placement(correspondances(), choix, len(examen.entete), csv=examen.format == "csv")


def _rangees(chemin: Path, examen: Examen, placement: Placement) -> Iterator[list]:
    largeur = len(examen.entete)
    yield [*examen.entete, *COLONNES_AJOUTEES]
    vide = None if examen.format == "xlsx" else ""
    for valeurs in tableaux_flux.lignes(chemin, examen):
        ajoutees = placement.valeurs_ajoutees(valeurs)
        if len(valeurs) <= largeur:
            yield [*valeurs, *[vide] * (largeur - len(valeurs)), *ajoutees]
        else:  # values right of the last title go after the added columns, which stay under their titles
            yield [*valeurs[:largeur], *ajoutees, *valeurs[largeur:]]


def csv_en_morceaux(chemin: Path, examen: Examen, choix: Choix) -> Iterator[bytes]:
    """The result as pieces of UTF-8 bytes, for a streamed response or a file."""
    placement = placement_pour(examen, choix)  # built before the first byte: a database error is still a 500
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=examen.separateur or ";", lineterminator="\r\n")
    yield codecs.BOM_UTF8
    for rang, rangee in enumerate(_rangees(chemin, examen, placement)):
        if _UNE_CELLULE_A_RISQUE.search(_SEPARATEUR_INTERNE + _SEPARATEUR_INTERNE.join(rangee)):
            rangee = [neutraliser(valeur) for valeur in rangee]
        ecrivain.writerow(rangee)
        if rang % LIGNES_PAR_MORCEAU == 0:
            yield tampon.getvalue().encode("utf-8")
            tampon.seek(0)
            tampon.truncate()
    yield tampon.getvalue().encode("utf-8")


def ecrire_xlsx(chemin: Path, examen: Examen, choix: Choix, sortie: Path) -> None:
    """The result written to `sortie`; raises `TableauIllisible` (too many rows) before anything is sent."""
    import openpyxl

    placement = placement_pour(examen, choix)
    classeur = openpyxl.Workbook(write_only=True)
    feuille = classeur.create_sheet("Territoires d’industrie")
    try:
        for rangee in _rangees(chemin, examen, placement):
            feuille.append([neutraliser(valeur) for valeur in rangee])
    finally:  # saved even when refused halfway: saving is what closes and removes openpyxl's temporary file
        classeur.save(sortie)
