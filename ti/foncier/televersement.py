"""Reading and checking uploaded files: the one place of the foncier part that does it (CNIG files of the import,
photos and documents of the sites). Kept apart so that the platform's shared upload check replaces it in one spot."""

from ti.foncier.echange import TAILLE_MAX, FichierRefuse
from ti.projets.documents import AIDE, verifier_document

AIDE_PIECE = f"{AIDE} Les photos (PNG, JPEG) s’affichent sur la page du site, les autres fichiers s’y téléchargent."


def lire(fichier) -> bytes:
    """A CNIG file's bytes, refused before reading when it is too big."""
    if fichier.size > TAILLE_MAX:
        raise FichierRefuse(f"« {fichier.name} » : plus de {TAILLE_MAX // (1024 * 1024)} Mo, découpez-le.")
    return fichier.read()


def verifier_piece(fichier) -> str:
    """The MIME type of an accepted photo or document (size, extension, content); ValidationError in French."""
    return verifier_document(fichier)
