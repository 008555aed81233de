"""Two application servers, one database, one object storage, one cache (decision 0062): a person's journey moves
from one to the other as a load balancer would send it, and nothing stays on the server that took a step.

Real processes (gunicorn, as in production), a local S3-compatible server (moto's server mode) and a private Redis;
the database is the tests' own: PostgreSQL's test database, or on SQLite a file copy of the in-memory one.
"""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from moto.server import ThreadedMotoServer

from ti.comptes.models import Role

from ..factories import ProjetFactory, TerritoireFactory, utilisateur_avec

RACINE = Path(__file__).resolve().parents[2]
MOT_DE_PASSE = "un-mot-de-passe-solide-2026"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BUCKET = "ti-televersements"
CLES_S3 = {"S3_ACCESS_KEY_ID": "essai", "S3_SECRET_ACCESS_KEY": "essai", "S3_REGION": "eu-west-3"}


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre(url: str, processus: subprocess.Popen) -> None:
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if processus.poll() is not None:
            raise RuntimeError(f"{url} : le serveur s’est arrêté ({processus.stderr.read().decode()[-2000:]})")
        try:
            requests.get(url, timeout=20)  # the first request loads the URLs and templates: slow on a busy machine
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} ne répond pas")


@pytest.fixture
def stockage_s3():
    port = port_libre()
    serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    serveur.start()
    adresse = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=adresse,
        aws_access_key_id="essai",
        aws_secret_access_key="essai",
        region_name=CLES_S3["S3_REGION"],
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": CLES_S3["S3_REGION"]})
    yield adresse, s3
    serveur.stop()


@pytest.fixture
def redis_partage(tmp_path):
    port = port_libre()
    processus = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    limite = time.monotonic() + 10
    while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
        assert time.monotonic() < limite, "redis-server ne répond pas"
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    processus.terminate()
    processus.wait(10)


def adresse_de_la_base(tmp_path: Path) -> str:
    """The database the servers share: the tests' own, committed (transactional_db)."""
    reglages = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{reglages['USER']}:{reglages['PASSWORD'] or ''}@{reglages['HOST']}:{reglages['PORT']}"
            f"/{reglages['NAME']}"
        )
    fichier = tmp_path / "partagee.sqlite3"  # the in-memory test database, copied where two processes can open it
    connection.ensure_connection()
    with sqlite3.connect(fichier) as copie:
        connection.connection.backup(copie)
    copie.close()
    return f"sqlite:///{fichier}"


@pytest.fixture
def deux_serveurs(transactional_db, tmp_path, stockage_s3, redis_partage):
    """Returns a function that starts servers A and B on the database as it is when it is called."""
    processus = []

    def demarrer() -> tuple[str, str]:
        environnement = {
            **os.environ,
            **CLES_S3,
            "DATABASE_URL": adresse_de_la_base(tmp_path),
            "DEBUG": "1",  # static files from the finders: the tests run no collectstatic
            "SECRET_KEY": "deux-serveurs-meme-cle-secrete-0123456789-abcdefghij",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "CACHE_URL": redis_partage,
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": stockage_s3[0],
            "ANTIVIRUS": "aucun",
        }
        adresses = []
        for nom in ("a", "b"):
            port = port_libre()
            environnement_serveur = environnement | {
                "MEDIA_ROOT": str(tmp_path / f"media-{nom}"),  # must stay empty: the files are in the bucket
                "CROISEMENT_DEPOT": str(tmp_path / f"croisements-{nom}"),
            }
            serveur = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "-t", "60"],
                cwd=RACINE,
                env=environnement_serveur,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            processus.append(serveur)
            adresses.append(f"http://127.0.0.1:{port}")
        for adresse, serveur in zip(adresses, processus, strict=True):
            attendre(adresse + "/", serveur)
        return adresses[0], adresses[1]

    yield demarrer
    for serveur in processus:
        serveur.terminate()
        serveur.wait(15)


def champs_caches(html: str, action: str) -> dict:
    """The hidden inputs (CSRF token, one-time submission token) of the form posting to `action`."""
    formulaire = re.search(rf'<form[^>]*action="{re.escape(action)}"(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', formulaire))


def test_un_parcours_sur_deux_serveurs(deux_serveurs, stockage_s3, tmp_path):
    territoire = TerritoireFactory()
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire)
    # Hashed as the servers hash (the tests' own hasher, MD5 for speed, is not theirs).
    chef.password = PBKDF2PasswordHasher().encode(MOT_DE_PASSE, PBKDF2PasswordHasher().salt())
    chef.save(update_fields=["password"])
    projet = ProjetFactory(territoire=territoire, public=True, titre="Fonderie mutualisée")
    a, b = deux_serveurs()
    fiche = f"/projets/{projet.pk}/"
    visiteur = requests.Session()
    personne = requests.Session()  # its cookies go to both servers, as a browser's go to one address

    # An anonymous visitor reads the published fiche on B: B keeps the page in the shared cache.
    page = visiteur.get(b + fiche)
    assert page.status_code == 200 and "Aucun document n’est joint à cette fiche." in page.text
    assert visiteur.get(b + fiche).headers.get("X-Cache-Pages") == "servie"

    # The chef de projet signs in on A…
    connexion = personne.get(a + "/comptes/connexion/")
    reponse = personne.post(
        a + "/comptes/connexion/",
        data={**champs_caches(connexion.text, "/comptes/connexion/"), "username": chef.email, "password": MOT_DE_PASSE},
        headers={"Referer": a + "/comptes/connexion/"},
        allow_redirects=False,
    )
    assert reponse.status_code == 302, re.findall(r"fr-(?:message--error|alert)[^>]*>(.*?)<", reponse.text, re.S)

    # …uploads a document on A…
    action = f"/projets/{projet.pk}/documents/"
    page = personne.get(a + fiche)
    depot = personne.post(
        a + action,
        data=champs_caches(page.text, action),
        files={"fichier": ("etude-de-faisabilite.pdf", PDF, "application/pdf")},
        headers={"Referer": a + fiche},
        allow_redirects=False,
    )
    assert depot.status_code == 302, depot.text[-2000:]

    # …and finds it on B, still signed in, and downloads it there.
    page = personne.get(b + fiche)
    assert "Se déconnecter" in page.text
    lien = re.search(r'href="(/projets/\d+/documents/\d+/)">etude-de-faisabilite\.pdf', page.text).group(1)
    assert personne.get(b + lien).content == PDF

    # The anonymous visitor's next visit on B shows the change made on A, and downloads the document there too.
    page = visiteur.get(b + fiche)
    assert page.headers.get("X-Cache-Pages") == "rangee"
    assert "etude-de-faisabilite.pdf" in page.text
    assert visiteur.get(b + lien).content == PDF

    # The file is in the bucket, on no server's disk.
    objets = stockage_s3[1].list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert [o["Key"] for o in objets if o["Key"].endswith(".pdf")] != []
    assert not any(p.is_file() for p in tmp_path.glob("media-*/**/*"))
