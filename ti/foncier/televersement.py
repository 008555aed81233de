"""Reading an uploaded file: the one place of the foncier part that does it (the CNIG files of the import).

Kept apart so that the platform's shared upload check can replace it in one spot."""

from ti.foncier.echange import TAILLE_MAX, FichierRefuse


def lire(fichier) -> bytes:
    """The file's bytes, refused before reading when it is too big."""
    if fichier.size > TAILLE_MAX:
        raise FichierRefuse(f"« {fichier.name} » : plus de {TAILLE_MAX // (1024 * 1024)} Mo, découpez-le.")
    return fichier.read()
