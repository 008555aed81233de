"""Backup and restore of the database and the uploaded files together, in one archive (docs/exploitation.md).

The archive holds the database (PostgreSQL: `pg_dump` custom format; SQLite: the file, copied by SQLite's online
backup API), the uploaded files under `fichiers/`, and a manifest with the digest of every member and the row count
of every table. The database is copied first, then the files: an uploaded file is written before the row that
refers to it and is never deleted, so every file the copied rows refer to is in the archive.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

MANIFESTE = "manifeste.json"
FICHIERS = "fichiers"


class SauvegardeInvalide(Exception):
    pass


def _empreinte(chemin: Path) -> str:
    h = hashlib.sha256()
    with chemin.open("rb") as fichier:
        for bloc in iter(lambda: fichier.read(1 << 20), b""):
            h.update(bloc)
    return h.hexdigest()


def comptes_des_tables() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def _parametres_postgres() -> tuple[list[str], dict]:
    base = settings.DATABASES["default"]
    options = ["--host", base.get("HOST") or "127.0.0.1", "--port", str(base.get("PORT") or 5432)]
    if base.get("USER"):
        options += ["--username", base["USER"]]
    env = os.environ | ({"PGPASSWORD": base["PASSWORD"]} if base.get("PASSWORD") else {})
    return options, env


def _copier_la_base(destination: Path) -> str:
    if connection.vendor == "postgresql":
        options, env = _parametres_postgres()
        nom = settings.DATABASES["default"]["NAME"]
        cible = destination / "base.dump"
        commande = ["pg_dump", "--format=custom", "--no-owner", *options, "--file", cible, nom]
        subprocess.run(commande, env=env, check=True)
        return cible.name
    connection.ensure_connection()
    cible = destination / "base.sqlite3"
    with sqlite3.connect(cible) as copie:
        connection.connection.backup(copie)
    copie.close()
    return cible.name


def sauvegarder(dossier: Path) -> Path:
    """Writes `sauvegarde-<date>.tar.gz` in `dossier` and returns its path."""
    dossier.mkdir(parents=True, exist_ok=True)
    archive = dossier / f"sauvegarde-{timezone.now():%Y%m%d-%H%M%S-%f}.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as temporaire:
        temporaire = Path(temporaire)
        comptes = comptes_des_tables()
        base = _copier_la_base(temporaire)
        membres = {base: _empreinte(temporaire / base)}
        if media.is_dir():
            for chemin in sorted(p for p in media.rglob("*") if p.is_file()):
                membres[f"{FICHIERS}/{chemin.relative_to(media).as_posix()}"] = _empreinte(chemin)
        manifeste = {
            "date": timezone.now().isoformat(),
            "moteur": connection.vendor,
            "base": base,
            "membres": membres,
            "tables": comptes,
        }
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(temporaire / base, arcname=base)
            for nom in membres:
                if nom.startswith(f"{FICHIERS}/"):
                    tar.add(media / nom.removeprefix(f"{FICHIERS}/"), arcname=nom)
            contenu = json.dumps(manifeste, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFESTE)
            info.size = len(contenu)
            tar.addfile(info, io.BytesIO(contenu))
    return archive


def _ouvrir(archive: Path, destination: Path) -> dict:
    """Extracts the archive and checks every member against the manifest before anything is restored."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(destination, filter="data")  # no absolute paths, links or devices
    except (tarfile.TarError, OSError) as erreur:
        raise SauvegardeInvalide(f"L’archive {archive} est illisible : {erreur}.") from erreur
    try:
        manifeste = json.loads((destination / MANIFESTE).read_text())
    except (OSError, ValueError) as erreur:
        raise SauvegardeInvalide(f"L’archive {archive} n’a pas de manifeste lisible.") from erreur
    if manifeste["moteur"] != connection.vendor:
        raise SauvegardeInvalide(
            f"Cette sauvegarde vient d’une base {manifeste['moteur']} ; la base configurée est {connection.vendor}."
        )
    for nom, attendue in manifeste["membres"].items():
        chemin = destination / nom
        if not chemin.is_file() or _empreinte(chemin) != attendue:
            raise SauvegardeInvalide(f"L’archive est altérée : « {nom} » manque ou ne correspond pas au manifeste.")
    return manifeste


def _restaurer_la_base(copie: Path) -> None:
    if connection.vendor == "postgresql":
        options, env = _parametres_postgres()
        nom = settings.DATABASES["default"]["NAME"]
        connections.close_all()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *options,
                "--dbname",
                nom,
                copie,
            ],
            env=env,
            check=True,
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(copie) as source:
        source.backup(connection.connection)
    source.close()


def restaurer(archive: Path) -> dict:
    """Replaces the database and the uploaded files by the archive's; returns the manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as temporaire:
        temporaire = Path(temporaire)
        manifeste = _ouvrir(archive, temporaire)
        _restaurer_la_base(temporaire / manifeste["base"])
        if media.exists():
            shutil.rmtree(media)
        media.mkdir(parents=True)
        if (temporaire / FICHIERS).is_dir():
            shutil.copytree(temporaire / FICHIERS, media, dirs_exist_ok=True)
    apres = comptes_des_tables()
    ecarts = {t: (n, apres.get(t)) for t, n in manifeste["tables"].items() if apres.get(t) != n}
    if ecarts:
        raise SauvegardeInvalide(f"Après restauration, des tables n’ont pas le nombre de lignes attendu : {ecarts}.")
    return manifeste
