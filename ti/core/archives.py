"""ZIP archives sent to the platform (XLSX, ODS, DOCX, ODT): bounded before any member is decompressed.

Only the central directory is read to check the bounds of ti/core/limites.py; a member is then read either whole
when it is small (`lire_partie`) or by its first bytes (`lire_debut`). zipfile never inflates a member beyond the size
the directory declares, so checking the directory bounds what any later reader (openpyxl included) can inflate.
"""

import zipfile
import zlib

from ti.core.formats import nombre
from ti.core.limites import DECOMPRESSE_MAX, MEMBRES_MAX, PARTIE_LUE_MAX, RATIO_MAX, RATIO_SEUIL, en_mo

ERREURS_ZIP = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, KeyError, NotImplementedError)


class ArchiveRefusee(Exception):
    """The archive crosses a bound; `message` says which, in French, as the end of a sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ouvrir(fichier) -> zipfile.ZipFile:
    """The archive, its directory checked; `fichier` is a binary file object. Raises BadZipFile when not a ZIP."""
    archive = zipfile.ZipFile(fichier)
    try:
        fichier.seek(0, 2)
        verifier(archive, fichier.tell())
    except ArchiveRefusee:
        archive.close()
        raise
    return archive


def verifier(archive: zipfile.ZipFile, taille: int) -> None:
    """Refuse an archive of too many members, too large once decompressed, or compressed like a zip bomb."""
    membres = archive.infolist()
    if len(membres) > MEMBRES_MAX:
        raise ArchiveRefusee(f"l’archive compte {nombre(len(membres))} éléments, {nombre(MEMBRES_MAX)} au plus.")
    total = sum(membre.file_size for membre in membres)
    if total > DECOMPRESSE_MAX:
        raise ArchiveRefusee(
            f"une fois décompressé, le fichier pèserait {en_mo(total)}, {en_mo(DECOMPRESSE_MAX)} au plus."
        )
    suspects = [m for m in membres if m.file_size > RATIO_SEUIL and m.file_size > RATIO_MAX * max(m.compress_size, 1)]
    if suspects or (total > RATIO_SEUIL and total > RATIO_MAX * max(taille, 1)):
        raise ArchiveRefusee(
            f"le fichier est compressé plus de {RATIO_MAX} fois (une « bombe de décompression » ?) : "
            "enregistrez-le de nouveau depuis le logiciel qui l’a créé."
        )


def trouver(archive: zipfile.ZipFile, nom: str) -> zipfile.ZipInfo | None:
    """The member of that name, whatever the case of its letters (ZIP names are case-sensitive, Office is not)."""
    nom = nom.lower()
    return next((membre for membre in archive.infolist() if membre.filename.lower() == nom), None)


def lire_partie(archive: zipfile.ZipFile, membre: zipfile.ZipInfo) -> bytes:
    """A small part read whole (content types, relationships, manifest); a larger one is refused."""
    if membre.file_size > PARTIE_LUE_MAX:
        raise ArchiveRefusee(f"la partie « {membre.filename} » pèse {en_mo(membre.file_size)}, anormalement lourde.")
    return archive.read(membre)


def lire_debut(archive: zipfile.ZipFile, membre: zipfile.ZipInfo, octets: int = 4096) -> bytes:
    """The first bytes of a member, inflating no more than needed."""
    with archive.open(membre) as flux:
        return flux.read(octets)
