"""Reading and checking uploaded files: the one place of the foncier part that does it (CNIG files of the import,
photos and documents of the sites). The checks themselves are the platform's shared ones (ti/core/televersements.py)."""

from ti.core.televersements import AIDE, verifier_document
from ti.foncier.echange import TAILLE_MAX, FichierRefuse

AIDE_PIECE = f"{AIDE} Les photos (PNG, JPEG) s’affichent sur la page du site, les autres fichiers s’y téléchargent."


def lire(fichier) -> bytes:
    """A CNIG file's bytes, refused before reading when it is too big."""
    if fichier.size > TAILLE_MAX:
        raise FichierRefuse(f"« {fichier.name} » : plus de {TAILLE_MAX // (1024 * 1024)} Mo, découpez-le.")
    return fichier.read()


def verifier_piece(fichier) -> str:
    """The MIME type of an accepted photo or document (size, extension, content); ValidationError in French."""
    return verifier_document(fichier)
