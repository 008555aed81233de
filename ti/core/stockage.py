"""Helpers over the uploaded files' storage (`default_storage`: a local directory, or object storage when
configured, decision 0062), for the files that wait between two steps of a page."""

from datetime import datetime

from django.core.files.storage import default_storage


def retirer_les_perimes(dossier: str, limite: datetime) -> None:
    """Removes the files of `dossier` last written before `limite` (one listing, then one look per file)."""
    try:
        _, fichiers = default_storage.listdir(dossier)
    except FileNotFoundError:  # nothing written there yet
        return
    for nom in fichiers:
        chemin = f"{dossier}/{nom}"
        try:
            if default_storage.get_modified_time(chemin) < limite:
                default_storage.delete(chemin)
        except FileNotFoundError:  # removed meanwhile by another request
            continue
