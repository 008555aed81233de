"""Every table the platform writes (CSV, XLSX, ODS) goes through here, so that no cell runs as a formula.

A text a spreadsheet would take for a formula (« =HYPERLINK(…) », « +cmd », « @SUM(…) », or one starting with a tab
or a carriage return, also after leading spaces) gets a leading apostrophe, as OWASP advises for CSV injection:
the spreadsheet then shows it as text. Numbers stay numbers; a number written as text (« -12,50 ») is no formula
and is left alone, so that a legitimate negative amount is never altered.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import tablib
from django.http import HttpResponse

DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
FORMATS_DE_TABLEAU = ("csv", "xlsx", "ods")
TYPES_DE_CONTENU = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
NOMBRE_EN_TEXTE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutraliser(valeur):
    """The value as it may safely be written in a cell: formulas turned into text, anything else unchanged."""
    if not isinstance(valeur, str) or not valeur:
        return valeur
    texte = valeur.lstrip(" \u00a0")
    if texte.startswith(DEBUTS_DE_FORMULE) and not NOMBRE_EN_TEXTE.fullmatch(texte):
        return f"'{valeur}"
    return valeur


def sans_formules(donnees: tablib.Dataset) -> tablib.Dataset:
    """A copy of the table, headers and title included, every cell neutralised."""
    copie = tablib.Dataset(
        *[[neutraliser(valeur) for valeur in ligne] for ligne in donnees],
        headers=[neutraliser(entete) for entete in donnees.headers or []] or None,
        title=donnees.title,
    )
    return copie


def exporter(donnees: tablib.Dataset, format_: str, **options) -> str | bytes:
    """`Dataset.export`, every cell neutralised first: the one way the platform writes a tablib table."""
    return sans_formules(donnees).export(format_, **options)


def telechargement(donnees: tablib.Dataset, format_: str, nom: str) -> HttpResponse:
    """The table as a file to download, `nom.<format_>`: CSV with `;` and a byte order mark (so that Excel reads
    UTF-8), XLSX or ODS. The caller has checked that `format_` is one of `FORMATS_DE_TABLEAU`."""
    csv_ = format_ == "csv"
    contenu = "\ufeff" + exporter(donnees, "csv", delimiter=";") if csv_ else exporter(donnees, format_)
    return piece_jointe(contenu, TYPES_DE_CONTENU[format_], f"{nom}.{format_}")


def piece_jointe(contenu: str | bytes, type_de_contenu: str, nom: str) -> HttpResponse:
    """Any file to download (a table, a Word or PDF document), named `nom`, extension included."""
    reponse = HttpResponse(contenu, content_type=type_de_contenu)
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


class EcrivainCsv:
    """`csv.writer` for the streamed exports (SCDL, fiches-action): every cell neutralised on the way."""

    def __init__(self, tampon, **options):
        self._ecrivain = csv.writer(tampon, **options)

    def writerow(self, ligne) -> None:
        self._ecrivain.writerow([neutraliser(valeur) for valeur in ligne])

    def writerows(self, lignes) -> None:
        self._ecrivain.writerows([neutraliser(valeur) for valeur in ligne] for ligne in lignes)


def flux_csv(
    entete: Sequence, lignes: Iterable[Sequence], *, taille_des_lots: int = 2000, **options
) -> Iterator[bytes]:
    """A CSV streamed in UTF-8 for a `StreamingHttpResponse`: the header, then one piece per lot of rows, every cell
    neutralised. `lignes` is read lazily (a queryset's `.iterator()`), so memory stays flat whatever the size."""
    tampon = io.StringIO()
    ecrivain = EcrivainCsv(tampon, **options)
    ecrivain.writerow(entete)
    lecture = iter(lignes)
    while True:
        contenu = tampon.getvalue()
        tampon.seek(0)
        tampon.truncate()
        yield contenu.encode("utf-8")
        lot = list(islice(lecture, taille_des_lots))
        if not lot:
            return
        ecrivain.writerows(lot)
