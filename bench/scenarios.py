"""The endpoints `make bench` drives, and what it needs to drive them: run inside Django by bench/run.py.

    DATABASE_URL=... DEBUG=0 SECRET_KEY=... BENCH=1 .venv/bin/python bench/scenarios.py --sortie scenarios.json

It creates (once) the bench user — national team, plus instructeur of the region with most filed dossiers, so that
the queue has something to show — and a session for it, picks real records (a territory, a region, a filed dossier,
a commune name), and for each endpoint requests the page once through Django's test client with the SQL captured
(`CaptureQueriesContext`), a streamed body read to its end. The page's « main query » is the slowest of the
captured queries; its SQL, with parameters inlined by the driver, is written out so that run.py can time it
directly on PostgreSQL (the database floor). The output is JSON: cookie, endpoints with URL and main SQL.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.connexion import ClientVerifie  # noqa: E402
from ti.comptes.models import Habilitation, Role, Utilisateur  # noqa: E402
from ti.core.cache import invalider_pages  # noqa: E402
from ti.financements.models import Dossier  # noqa: E402
from ti.referentiel.models import Commune, Region  # noqa: E402
from ti.territoires.models import Territoire  # noqa: E402

# A streamed export iterates a server-side cursor: its SQL is logged wrapped in the DECLARE.
CURSEUR_SERVEUR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.IGNORECASE)
CAPTURES = 3  # each page is captured this many times: its main query's ORM time is the smallest seen
COURRIEL = "bench@territoires-industrie.invalid"
HOTE = "127.0.0.1"
# Public pages and the public API are measured as most of their readers see them: anonymous, without the bench
# user's session cookie (ti/core/cache_pages.py serves them whole from the cache; PAGES_EN_CACHE=0 to compare).
ANONYMES = {"accueil", "territoires", "territoire", "recherche_commune", "api_territoires", "api_projets"}


def utilisateur_bench(region: Region | None) -> Utilisateur:
    user = Utilisateur.objects.filter(email=COURRIEL).first()
    if user is None:
        user = Utilisateur.objects.create_user(email=COURRIEL, password=None, prenom="Banc", nom="Mesure")
    if not Habilitation.objects.filter(utilisateur=user, role=Role.EQUIPE_NATIONALE, revoquee_le__isnull=True):
        Habilitation.objects.create(utilisateur=user, role=Role.EQUIPE_NATIONALE)
    if region and not Habilitation.objects.filter(utilisateur=user, role=Role.INSTRUCTEUR, region=region).exists():
        Habilitation.objects.create(utilisateur=user, role=Role.INSTRUCTEUR, region=region)
    return user


def endpoints() -> tuple[list[tuple], Region | None]:
    """(name, label, URL or the reason it cannot be measured in this database), and the region of the queue."""
    territoire = (
        Territoire.objects.annotate(n=Count("communes")).order_by("-n", "identifiant").first()
        if Territoire.objects.exists()
        else None
    )
    deposes = Dossier.objects.exclude(statut="brouillon")
    region_dossiers = (
        deposes.values("enveloppe__region").annotate(n=Count("id")).order_by("-n").first() if deposes.exists() else None
    )
    region = Region.objects.filter(code=region_dossiers["enveloppe__region"]).first() if region_dossiers else None
    region_chiffres = region or (territoire and territoire.regions.first()) or Region.objects.order_by("code").first()
    dossier = deposes.order_by("-id").first()
    commune = Commune.objects.order_by("-population", "code").first()

    def ou(condition, url, raison):
        return url if condition else {"absent": raison}

    return [
        ("plancher", "Plancher du framework", "/bench/plancher"),
        ("accueil", "Accueil", "/"),
        ("territoires", "Liste des territoires", "/territoires/"),
        (
            "territoire",
            "Page d’un territoire",
            ou(territoire, territoire and f"/territoires/{territoire.identifiant}/", "aucun territoire"),
        ),
        (
            "recherche_commune",
            "Recherche de commune",
            ou(commune, commune and "/territoires/commune/?" + urlencode({"q": commune.nom}), "aucune commune"),
        ),
        (
            "recherche_projets",
            "Recherche de projets (facettes)",
            "/projets/?" + urlencode({"q": "industrie"}),
        ),
        ("file_instruction", "File d’instruction", "/financements/instruction/"),
        (
            "dossier",
            "Page d’un dossier",
            ou(dossier, dossier and f"/financements/dossiers/{dossier.reference}/", "aucun dossier déposé"),
        ),
        ("chiffres_national", "Chiffres nationaux", "/projets/chiffres/national/"),
        (
            "chiffres_region",
            "Chiffres régionaux",
            ou(
                region_chiffres,
                region_chiffres and f"/projets/chiffres/region/{region_chiffres.code}/",
                "aucune région",
            ),
        ),
        ("api_territoires", "API /territoires", "/api/v1/territoires"),
        ("api_projets", "API /projets", "/api/v1/projets"),
        ("export_scdl", "Export SCDL subventions (CSV)", "/api/v1/subventions.csv"),
        ("export_projets", "Export projets-collectivités (CSV)", "/api/v1/projets/export/projets-collectivites.csv"),
    ], region


def chronometre(durees: list[float]):
    """A database execute wrapper that appends each query's duration, in seconds, to `durees`."""

    def enveloppe(execute, sql, params, many, context):
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durees.append(time.perf_counter() - debut)

    return enveloppe


def capturer(client: Client, url: str) -> dict:
    """The page rendered, not served whole from the cache: its queries are what a cold page costs."""
    invalider_pages()
    durees = []
    with CaptureQueriesContext(connection) as requetes, connection.execute_wrapper(chronometre(durees)):
        response = client.get(url)
        corps = b"".join(response.streaming_content) if response.streaming else response.content
    captures = [
        q | {"sql": CURSEUR_SERVEUR.sub("", q["sql"]), "duree": d}
        for q, d in zip(requetes.captured_queries, durees, strict=False)
    ]
    selects = [q for q in captures if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    principale = max(selects, key=lambda q: q["duree"], default=None)
    return {
        "temps_orm_ms": round(principale["duree"] * 1000, 3) if principale else None,
        "statut_client_test": response.status_code,
        "requetes_client_test": len(requetes),
        "octets_client_test": len(corps),
        "sql_principal": principale["sql"] if principale else None,
        "sql_toutes": [q["sql"] for q in selects],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sortie", required=True)
    args = parser.parse_args()

    liste, region = endpoints()
    user = utilisateur_bench(region)
    client = ClientVerifie(HTTP_HOST=HOTE)  # the second factor given, as after a real login
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    visiteur = Client(HTTP_HOST=HOTE)
    resultat = {"cookie": cookie, "endpoints": []}
    for nom, libelle, url in liste:
        ligne = {"nom": nom, "libelle": libelle, "anonyme": nom in ANONYMES}
        client_page = visiteur if ligne["anonyme"] else client
        if isinstance(url, dict):
            ligne.update(url=None, **url)
        else:
            ligne["url"] = url
            if nom != "plancher":
                capturer(client_page, url)  # once to warm caches, as the load tool will find them
                captures = [capturer(client_page, url) for _ in range(CAPTURES)]
                ligne.update(captures[-1])
                ligne["temps_orm_ms"] = min(  # the least disturbed of the captures, as the floor is a median
                    (
                        c["temps_orm_ms"]
                        for c in captures
                        if c["sql_principal"] == ligne["sql_principal"] and c["temps_orm_ms"] is not None
                    ),
                    default=None,  # a page without SQL (the anonymous home page, its figures in the cache)
                )
        resultat["endpoints"].append(ligne)
    Path(args.sortie).write_text(json.dumps(resultat, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
