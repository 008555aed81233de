"""How much of a file sent to the platform it agrees to read: every bound in one place, with its reason.

The importers (fiches-action, territoires, Fonds vert, COG) and the checks of uploaded documents all read these
names, so that a file refused by one is refused by all. A bound crossed refuses the file with a French message before
the heavy work: the directory of a ZIP archive is read before any member is decompressed, the dimension a sheet
declares before its rows, the size of its shared strings before openpyxl loads them.
"""

MO = 1024 * 1024

# Tables (CSV, XLSX) -----------------------------------------------------------------------------------------------

# The largest table any importer reads: the yearly national Fonds vert list (about ten thousand rows) weighs a few Mo.
# The fiches-action import has its own, smaller bound (ti/projets/importer.py).
TAILLE_TABLEAU_MAX = 50 * MO
# Rows of data: ten times the largest real file (the yearly Fonds vert list).
LIGNES_MAX = 200_000
# Columns: the widest template has about forty; every row is padded to the header's width, so a header of a
# hundred thousand columns would multiply the memory of every row.
COLONNES_MAX = 200
# Cells an XLSX sheet declares (`<dimension ref="A1:XFD1048576">`): openpyxl pads every row to the declared width and
# yields the declared rows, so a file of a few Ko declaring the whole sheet costs gigabytes.
CELLULES_DECLAREES_MAX = LIGNES_MAX * 50
# Blank rows in a row: a sheet whose rows jump from 2 to 1 048 576 makes openpyxl yield every missing row.
LIGNES_VIDES_MAX = 10_000
# Shared strings of an XLSX: openpyxl loads them all in memory when it opens the workbook, before any row is read.
CHAINES_PARTAGEES_MAX = 1_000_000
TAILLE_CHAINES_PARTAGEES_MAX = 20 * MO
# Seconds spent reading one table: the largest real file is read in a few seconds.
DUREE_LECTURE_MAX = 60

# Uploaded documents (fiches-action, pièces of a Fonds vert dossier) --------------------------------------------------

# A scanned study or a quote fits in a few Mo; 10 Mo is what Démarches simplifiées-like services accept per piece.
TAILLE_DOCUMENT_MAX = 10 * MO

# ZIP archives (XLSX, ODS, DOCX, ODT) ------------------------------------------------------------------------------

# Members: a document with many images holds a few hundred.
MEMBRES_MAX = 5_000
# Total decompressed size, as the archive's directory declares it (zipfile never inflates a member beyond its
# declared size: a lie there fails the CRC check instead of filling the memory).
DECOMPRESSE_MAX = 200 * MO
# Compression ratio: XML compresses up to about 20:1, images hardly at all; a zip bomb reaches 1000:1. Checked on the
# whole archive and on every member above RATIO_SEUIL (a small part may compress much better harmlessly).
RATIO_MAX = 100
RATIO_SEUIL = 1 * MO
# Parts read whole to check the content ([Content_Types].xml, relationships, ODF manifest): a few Ko in practice.
PARTIE_LUE_MAX = 1 * MO

# Reference data (COG JSON, possibly gzipped) ---------------------------------------------------------------------

# The communes file, the largest, is 8.6 Mo once decompressed (COG 2026).
JSON_REFERENTIEL_MAX = 100 * MO


def en_mo(octets: int) -> str:
    """12 345 678 → « 11,8 Mo »."""
    return f"{octets / MO:.1f}".replace(".", ",") + " Mo"


class TropLourd(Exception):
    """A file (or a decompressed stream) beyond its bound; `message` says so in French."""

    def __init__(self, maximum: int):
        self.message = f"le fichier pèse plus de {en_mo(maximum)} (une fois décompressé s’il l’est) : c’est la limite."
        super().__init__(self.message)


def lire_au_plus(flux, maximum: int) -> bytes:
    """The content of a binary stream (a file, a gzip stream) of at most `maximum` bytes; beyond, refused unread."""
    contenu = flux.read(maximum + 1)
    if len(contenu) > maximum:
        raise TropLourd(maximum)
    return contenu
