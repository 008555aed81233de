"""Where one page spends its time: cProfile over a few requests through Django's test client, with the SQL timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ti_bench10 .venv/bin/python bench/profil.py \\
        "/projets/?q=industrie" [--anonyme] [--repetitions 5] [--tri tottime] [--lignes 25]

Settings as in production (DEBUG off, cached templates); the page is requested once to warm up (imports, URL
patterns, templates), then profiled over --repetitions requests as the bench's national-team account (created by
bench/scenarios.py; --courriel for another one) or, with --anonyme, as a visitor. Prints the time per request,
the part spent in SQL and the functions that cost the most: the slow path to fix, before and after a change.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "profil-cle-secrete-locale-0123456789-jamais-en-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from scenarios import chronometre  # noqa: E402  (bench/ is the script's folder, first on sys.path)

from tests.connexion import ClientVerifie  # noqa: E402
from ti.comptes.models import Utilisateur  # noqa: E402

COURRIEL = "bench@territoires-industrie.invalid"


def lire(client: Client, url: str) -> tuple[int, int]:
    reponse = client.get(url)
    corps = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    return reponse.status_code, len(corps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--anonyme", action="store_true", help="en visiteur, sans compte")
    parser.add_argument("--courriel", default=COURRIEL, help=f"le compte connecté (défaut : {COURRIEL})")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--tri", default="cumulative", help="ordre de pstats : cumulative, tottime…")
    parser.add_argument("--lignes", type=int, default=30)
    args = parser.parse_args()

    client = ClientVerifie(HTTP_HOST="127.0.0.1")  # the second factor given, as after a real login
    if not args.anonyme:
        utilisateur = Utilisateur.objects.filter(email=args.courriel).first()
        if utilisateur is None:
            raise SystemExit(
                f"Compte {args.courriel} absent : make bench crée le compte de mesure ; sinon --courriel "
                "equipe-nationale@demo.territoires-industrie.example (démonstration)."
            )
        client.force_login(utilisateur)
    statut, octets = lire(client, args.url)
    print(f"{args.url} : statut {statut}, {octets} octets")

    sql = []
    profil = cProfile.Profile()
    debut = time.perf_counter()
    with connection.execute_wrapper(chronometre(sql)):
        profil.enable()
        for _ in range(args.repetitions):
            lire(client, args.url)
        profil.disable()
    total = (time.perf_counter() - debut) / args.repetitions
    en_sql = sum(sql) / args.repetitions
    print(
        f"{total * 1000:.1f} ms par requête (profilée), dont SQL {en_sql * 1000:.1f} ms "
        f"en {len(sql) // args.repetitions} requêtes ; Python et gabarits {max(total - en_sql, 0) * 1000:.1f} ms"
    )
    sortie = io.StringIO()
    pstats.Stats(profil, stream=sortie).sort_stats(args.tri).print_stats(args.lignes)
    print(sortie.getvalue())


if __name__ == "__main__":
    main()
