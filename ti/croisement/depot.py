"""Where a file waits between the two steps of the page (upload, then choice of the column): a directory on disk,
one file per random token and its examination beside it (JSON), removed once the result is downloaded or after
`DUREE` seconds (every new upload sweeps the stale ones). The token is the only key: 32 random bytes, unguessable.

Several application servers must share the directory (`CROISEMENT_DEPOT`), as they share the database.
"""

import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ti.core.tableaux_flux import Examen

DUREE = 3600  # seconds a file waits for its column to be chosen
_JETON = re.compile(r"^[A-Za-z0-9_-]{43}$")


def dossier() -> Path:
    chemin = Path(settings.CROISEMENT_DEPOT)
    chemin.mkdir(parents=True, exist_ok=True)
    return chemin


def deposer(fichier: UploadedFile) -> tuple[str, Path]:
    """The uploaded file copied under a new token (in chunks: Django already spooled a large one to disk)."""
    purger()
    jeton = secrets.token_urlsafe(32)
    chemin = dossier() / jeton
    with chemin.open("wb") as sortie:
        for morceau in fichier.chunks():
            sortie.write(morceau)
    # The file's age measured by this server's clock at both ends, not the clock of the machine holding the shared
    # directory (which stamps the file): the one the expiry compares with.
    maintenant = time.time()
    os.utime(chemin, (maintenant, maintenant))
    return jeton, chemin


def enregistrer_examen(jeton: str, examen: Examen, nom: str) -> None:
    (dossier() / f"{jeton}.json").write_text(json.dumps({"nom": nom, "examen": examen.en_dict()}))


def retrouver(jeton: str) -> tuple[Path, Examen, str] | None:
    """The file, its examination and its original name; None when the token is malformed, unknown or expired."""
    if not _JETON.match(jeton):
        return None
    chemin, fiche = dossier() / jeton, dossier() / f"{jeton}.json"
    try:
        if time.time() - chemin.stat().st_mtime > DUREE:
            retirer(jeton)
            return None
        donnees = json.loads(fiche.read_text())
    except (OSError, ValueError):
        return None
    return chemin, Examen(**donnees["examen"]), donnees["nom"]


def retirer(jeton: str) -> None:
    for chemin in (dossier() / jeton, dossier() / f"{jeton}.json", dossier() / f"{jeton}.xlsx"):
        chemin.unlink(missing_ok=True)


def purger() -> None:
    limite = time.time() - DUREE
    for chemin in dossier().iterdir():
        try:
            if chemin.stat().st_mtime < limite:
                chemin.unlink(missing_ok=True)
        except OSError:  # removed meanwhile by another request
            continue
