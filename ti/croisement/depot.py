"""Where a file waits between the two steps of the page (upload, then choice of the column): the uploaded files'
storage (`default_storage`, under `croisements/`: object storage when configured, decision 0062), one file per
random token and its examination beside it (JSON), removed once the result is downloaded or after `DUREE` seconds
(every new upload sweeps the stale ones). The token is the only key: 32 random bytes, unguessable.

The reading and writing work on a local copy (`CROISEMENT_DEPOT`, a directory of this server: a workbook is read
by seeking in it): the server that takes the second step fetches the file from the storage when the first step was
taken by another one. So several application servers need share no directory, only the storage.
"""

import json
import os
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from ti.core.stockage import retirer_les_perimes
from ti.core.tableaux_flux import Examen

DUREE = 3600  # seconds a file waits for its column to be chosen
_JETON = re.compile(r"^[A-Za-z0-9_-]{43}$")
DOSSIER_STOCKAGE = "croisements"


def _stocke(nom: str) -> str:
    return f"{DOSSIER_STOCKAGE}/{nom}"


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
    with chemin.open("rb") as copie:
        default_storage.save(_stocke(jeton), copie)
    return jeton, chemin


def enregistrer_examen(jeton: str, examen: Examen, nom: str) -> None:
    fiche = json.dumps({"nom": nom, "examen": examen.en_dict()}).encode()
    default_storage.save(_stocke(f"{jeton}.json"), ContentFile(fiche))


def _copie_locale(jeton: str) -> Path:
    """This server's copy of the file, fetched from the storage when another server received it."""
    chemin = dossier() / jeton
    if not chemin.exists():
        provisoire = chemin.with_suffix(".partiel")
        with default_storage.open(_stocke(jeton), "rb") as source, provisoire.open("wb") as sortie:
            for morceau in source.chunks():
                sortie.write(morceau)
        provisoire.replace(chemin)  # whole or not at all, should two requests fetch it at once
    return chemin


def retrouver(jeton: str) -> tuple[Path, Examen, str] | None:
    """The file, its examination and its original name; None when the token is malformed, unknown or expired."""
    if not _JETON.match(jeton):
        return None
    try:
        if time.time() - default_storage.get_modified_time(_stocke(jeton)).timestamp() > DUREE:
            retirer(jeton)
            return None
        with default_storage.open(_stocke(f"{jeton}.json"), "rb") as fiche:
            donnees = json.loads(fiche.read())
        chemin = _copie_locale(jeton)
    except (OSError, ValueError):  # unknown, or removed meanwhile by another request
        return None
    return chemin, Examen(**donnees["examen"]), donnees["nom"]


def retirer(jeton: str) -> None:
    for chemin in (dossier() / jeton, dossier() / f"{jeton}.json", dossier() / f"{jeton}.xlsx"):
        chemin.unlink(missing_ok=True)
    for nom in (jeton, f"{jeton}.json"):
        default_storage.delete(_stocke(nom))


def purger() -> None:
    limite = time.time() - DUREE
    for chemin in dossier().iterdir():  # this server's copies
        try:
            if chemin.stat().st_mtime < limite:
                chemin.unlink(missing_ok=True)
        except OSError:  # removed meanwhile by another request
            continue
    retirer_les_perimes(DOSSIER_STOCKAGE, datetime.fromtimestamp(limite, tz=UTC))
