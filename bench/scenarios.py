"""The endpoints `make bench` drives, and what it needs to drive them: run inside Django by bench/run.py.

    DATABASE_URL=... DEBUG=0 SECRET_KEY=... BENCH=1 .venv/bin/python bench/scenarios.py --sortie scenarios.json

It creates (once) one bench user per signed-in role — a chef de projet of the territory with most fiches-action, an
instructor of the région with most filed dossiers (so that the queue has lines), the national team — and a session
for each; picks real records (a territory, a région, a filed dossier, a commune name, a published fiche, an aid, a
site, a public event…); lists every public page from the site map (ti/core/plan_du_site.py) plus the public pages
with a parameter and the public API; and for each endpoint requests the page once through Django's test client with
the SQL captured (`CaptureQueriesContext`), a streamed body read to its end. The page's « main query » is the slowest
of its own captured queries (the session and second-factor look-ups left out); its SQL, with parameters inlined by
the driver, is written out so that run.py can time it directly on PostgreSQL (the database floor). With
`--ecritures N` it also prepares the write scenarios' targets (bench/ecritures.py). The output is JSON: cookies by
role, endpoints with URL and main SQL, write targets.
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
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import ecritures  # noqa: E402
from tests.connexion import ClientVerifie  # noqa: E402
from ti.animation.models import Evenement  # noqa: E402
from ti.animation.models_ressources import Ressource  # noqa: E402
from ti.comptes.models import Habilitation, Role, Utilisateur  # noqa: E402
from ti.core.cache import invalider_pages  # noqa: E402
from ti.core.plan_du_site import pages_publiques  # noqa: E402
from ti.financements.actions.depot import raisons_incompletude  # noqa: E402
from ti.financements.models import Dispositif, Dossier  # noqa: E402
from ti.foncier.models import Site  # noqa: E402
from ti.ingenierie.models import Offre  # noqa: E402
from ti.projets.models import Projet  # noqa: E402
from ti.referentiel.models import Commune, Region  # noqa: E402
from ti.territoires.models import Territoire  # noqa: E402

# A streamed export iterates a server-side cursor: its SQL is logged wrapped in the DECLARE.
CURSEUR_SERVEUR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.IGNORECASE)
TENUE_DE_SESSION = re.compile(r'FROM "(django_session|otp_\w+)"')
CAPTURES = 3  # each page is captured this many times: its main query's ORM time is the smallest seen
COURRIELS = {  # one bench user per signed-in role, each with its own session (ticket 16, objective 2)
    "national": "bench-national@territoires-industrie.invalid",
    "instructeur": "bench-instructeur@territoires-industrie.invalid",
    "chef": "bench-chef@territoires-industrie.invalid",
}
HOTE = "127.0.0.1"
# Pages with parameters that the site map cannot list (it lists routes without parameters): public, read anonymously.
# Names kept from the first bench for the pages it had, so that runs compare.
NOMS_DU_PLAN = {"accueil": "accueil", "territoires:liste": "territoires"}


def utilisateur(courriel: str, prenom: str, habilitations: list[dict]) -> Utilisateur:
    """A bench user with exactly these (active) habilitations, created once."""
    user = Utilisateur.objects.filter(email=courriel).first()
    if user is None:
        user = Utilisateur.objects.create_user(email=courriel, password=None, prenom=prenom, nom="Banc")
    for habilitation in habilitations:
        if not Habilitation.objects.filter(utilisateur=user, revoquee_le__isnull=True, **habilitation).exists():
            Habilitation.objects.create(utilisateur=user, **habilitation)
    return user


def choix() -> dict:
    """The records the scenarios read: the richest territory, the région with most filed dossiers, and so on."""
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
    anonyme = AnonymousUser()
    return {
        "territoire": territoire,
        "territoire_projets": ecritures.territoire_le_plus_fourni(),
        "region": region,
        "region_chiffres": region
        or (territoire and territoire.regions.first())
        or Region.objects.order_by("code").first(),
        "dossier": (deposes.filter(enveloppe__region=region) if region else deposes).order_by("-id").first(),
        "commune": Commune.objects.order_by("-population", "code").first(),
        "projet": Projet.objects.visible_to(anonyme).order_by("-id").first(),
        "dispositif": Dispositif.objects.order_by("-cloture", "code").first(),
        "site": Site.objects.visible_to(anonyme).order_by("identifiant").first(),
        "evenement": Evenement.objects.visible_to(anonyme).order_by("-debut").first(),
        "offre": Offre.objects.visible_to(anonyme).order_by("pk").first(),
        "ressource": Ressource.objects.visible_to(anonyme).order_by("-pk").first(),
    }


def ou(objet, url, raison: str):
    return url(objet) if objet else {"absent": raison}


def publics(c: dict) -> list[tuple]:
    """(name, label, URL or why it is absent): the site map's pages, then the public pages with a parameter and the
    public API. Every one read anonymously."""
    liste = [("plancher", "Plancher du framework", "/bench/plancher")]
    for entree in pages_publiques():
        if entree.url == "/bench/plancher":  # BENCH=1 routes the floor, which the site map then lists
            continue
        nom = NOMS_DU_PLAN.get(entree.nom, entree.nom.replace(":", "_"))
        liste.append((nom, entree.titre or entree.nom, entree.url))
    commune, territoire = c["commune"], c["territoire"]
    liste += [
        ("territoire", "Page d’un territoire",
         ou(territoire, lambda t: f"/territoires/{t.identifiant}/", "aucun territoire")),
        ("communes_territoire", "Communes d’un territoire",
         ou(territoire, lambda t: f"/territoires/{t.identifiant}/communes/", "aucun territoire")),
        (
            "recherche_commune",
            "Recherche de commune",
            ou(commune, lambda x: "/territoires/commune/?" + urlencode({"q": x.nom}), "aucune commune"),
        ),
        ("region", "Page d’une région", ou(c["region_chiffres"], lambda r: f"/territoires/regions/{r.code}/", "")),
        ("projet", "Fiche-action publiée", ou(c["projet"], lambda p: f"/projets/{p.pk}/", "aucune fiche publiée")),
        ("aide", "Page d’une aide", ou(c["dispositif"], lambda d: f"/financements/aides/{d.code}/", "aucune aide")),
        ("site", "Page d’un site clés en main", ou(c["site"], lambda s: f"/sites-cles-en-main/{s.identifiant}/", "")),
        ("evenement", "Page d’un événement public", ou(c["evenement"], lambda e: f"/reseau/evenements/{e.pk}/", "")),
        ("offre", "Offre d’ingénierie", ou(c["offre"], lambda o: f"/ingenierie/offres/{o.pk}/", "aucune offre")),
        ("ressource", "Ressource publique", ou(c["ressource"], lambda r: f"/reseau/ressources/{r.pk}/", "aucune")),
        ("api_territoires", "API /territoires", "/api/v1/territoires"),
        ("api_territoire", "API /territoires/{id}",
         ou(territoire, lambda t: f"/api/v1/territoires/{t.identifiant}", "aucun territoire")),
        ("api_commune", "API /communes/{code}/territoires",
         ou(commune, lambda x: f"/api/v1/communes/{x.code}/territoires", "aucune commune")),
        ("api_chiffres", "API /chiffres", "/api/v1/chiffres"),
        ("api_projets", "API /projets", "/api/v1/projets"),
        ("api_projet", "API /projets/{uuid}", ou(c["projet"], lambda p: f"/api/v1/projets/{p.uuid}", "")),
        ("api_subventions", "API /subventions", "/api/v1/subventions"),
        ("api_sites", "API /sites", "/api/v1/sites"),
        ("api_sites_chiffres", "API /sites/chiffres", "/api/v1/sites/chiffres"),
        ("api_site", "API /sites/{id}", ou(c["site"], lambda s: f"/api/v1/sites/{s.identifiant}", "")),
        ("api_offres", "API /ingenierie/offres", "/api/v1/ingenierie/offres"),
    ]  # fmt: skip
    return liste


def connectes(c: dict) -> list[tuple]:
    """(name, label, URL or why it is absent, profile): each role's landing page and main pages."""
    territoire, dossier, region = c["territoire_projets"], c["dossier"], c["region_chiffres"]
    return [
        ("a_faire_chef", "« À faire » (chef de projet)", "/a-faire/", "chef"),
        ("territoire_chef", "Page du territoire (chef de projet)",
         ou(territoire, lambda t: f"/territoires/{t.identifiant}/", "aucun territoire"), "chef"),
        ("fiches_territoire", "Fiches-action du territoire (chef de projet)",
         ou(territoire, lambda t: f"/projets/territoire/{t.identifiant}/", "aucun territoire"), "chef"),
        ("recherche_projets_chef", "Recherche de projets (chef de projet)", "/projets/?q=industrie", "chef"),
        ("a_faire_instructeur", "« À faire » (instructeur)", "/a-faire/", "instructeur"),
        ("file_instruction", "File d’instruction", "/financements/instruction/", "instructeur"),
        ("dossier", "Page d’un dossier",
         ou(dossier, lambda d: f"/financements/dossiers/{d.reference}/", "aucun dossier déposé"), "instructeur"),
        ("chiffres_region", "Chiffres régionaux",
         ou(region, lambda r: f"/projets/chiffres/region/{r.code}/", "aucune région"), "instructeur"),
        ("a_faire_national", "« À faire » (équipe nationale)", "/a-faire/", "national"),
        ("recherche_projets", "Recherche de projets (facettes)", "/projets/?" + urlencode({"q": "industrie"}),
         "national"),
        ("chiffres_national", "Chiffres nationaux", "/projets/chiffres/national/", "national"),
        ("export_scdl", "Export SCDL subventions (CSV)", "/api/v1/subventions.csv", "national"),
        ("export_projets", "Export projets-collectivités (CSV)", "/api/v1/projets/export/projets-collectivites.csv",
         "national"),
    ]  # fmt: skip


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
    # The page's own queries: the session and second-factor look-ups every signed-in page makes are not its main one.
    propres = [q for q in selects if not TENUE_DE_SESSION.search(q["sql"])]
    principale = max(propres or selects, key=lambda q: q["duree"], default=None)
    return {
        "temps_orm_ms": round(principale["duree"] * 1000, 3) if principale else None,
        "statut_client_test": response.status_code,
        "requetes_client_test": len(requetes),
        "octets_client_test": len(corps),
        "sql_principal": principale["sql"] if principale else None,
        "sql_toutes": [q["sql"] for q in selects],
    }


def preparer_ecritures(c: dict, users: dict, nombre: int) -> dict:
    """The write scenarios' targets (bench/ecritures.py), `nombre` distinct objects each at most."""
    csrf = ecritures.jeton_csrf()
    scenarios = {}
    brouillons = ecritures.dossiers_a_deposer(nombre * 2)
    a_deposer, autres = brouillons[:nombre], brouillons[nombre:]  # those of an open dispositif first
    porteurs = ecritures.porteurs_du_banc(brouillons)
    chefs = ecritures.chefs_du_banc()
    complets = [
        d for d in a_deposer if ecritures.completer(d, porteurs[d.porteur_siret]) and not raisons_incompletude(d)
    ]
    # Their habilitations show on their territory's pages: a territory the read scenarios do not measure.
    mesures = [t.pk for t in (c["territoire"], c["territoire_projets"]) if t]
    territoire_participants = Territoire.objects.exclude(pk__in=mesures).order_by("-identifiant").first()
    participants = ecritures.participants(territoire_participants or c["territoire_projets"], max(4, nombre // 10))
    evenements = ecritures.evenements_du_banc(users["national"], max(2, nombre // len(participants) + 1))
    for nom, libelle, cibles in (
        ("ecriture_fiche", "Modification d’une fiche-action", lambda: ecritures.fiches(chefs, nombre, csrf)),
        ("ecriture_brouillon", "Enregistrement d’un brouillon de dossier",
         lambda: ecritures.brouillons(porteurs, autres, csrf)),
        ("ecriture_depot", "Dépôt d’un dossier", lambda: ecritures.depots(porteurs, complets, csrf)),
        ("ecriture_instruction", "Étape d’instruction",
         lambda: ecritures.etapes(ecritures.instructeur_des_ecritures(), ecritures.deposes(nombre), csrf)),
        ("ecriture_import", "Confirmation d’un import de fiches-action",
         lambda: ecritures.imports(chefs, nombre, csrf) if chefs else []),
        ("ecriture_inscription", "Inscription à un événement",
         lambda: ecritures.inscriptions(participants, evenements, csrf)),
    ):  # fmt: skip
        liste = cibles()
        scenarios[nom] = {"libelle": libelle, "cibles": liste}
        print(f"{libelle} : {len(liste)} cibles préparées.", flush=True)
    return scenarios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sortie", required=True)
    parser.add_argument("--ecritures", type=int, default=0, help="cibles par scénario d’écriture (0 : aucun)")
    args = parser.parse_args()

    c = choix()
    users = {
        "national": utilisateur(COURRIELS["national"], "Équipe", [{"role": Role.EQUIPE_NATIONALE}]),
        "instructeur": utilisateur(
            COURRIELS["instructeur"], "Instructeur", [{"role": Role.INSTRUCTEUR, "region": c["region"]}]
        )
        if c["region"]
        else None,
        "chef": utilisateur(
            COURRIELS["chef"], "Chef", [{"role": Role.CHEF_PROJET, "territoire": c["territoire_projets"]}]
        )
        if c["territoire_projets"]
        else None,
    }
    clients, cookies = {}, {}
    for profil, user in users.items():
        if user is not None:
            clients[profil] = ClientVerifie(HTTP_HOST=HOTE)  # the second factor given, as after a real login
            clients[profil].force_login(user)
            cookies[profil] = (
                f"{settings.SESSION_COOKIE_NAME}={clients[profil].cookies[settings.SESSION_COOKIE_NAME].value}"
            )
    visiteur = Client(HTTP_HOST=HOTE)
    resultat = {"cookies": cookies, "endpoints": []}
    lignes = [(*ligne, None) for ligne in publics(c)] + connectes(c)
    vus = set()
    for nom, libelle, url, profil in lignes:
        if nom in vus:
            continue
        vus.add(nom)
        ligne = {"nom": nom, "libelle": libelle, "anonyme": profil is None, "profil": profil}
        ligne["groupe"] = "public" if profil is None else "export" if nom.startswith("export_") else "connecte"
        if profil is not None and profil not in clients:
            url = {"absent": f"pas de compte « {profil} » dans cette base"}
        if isinstance(url, dict):
            ligne.update(url=None, **url)
        else:
            ligne["url"] = url
            if nom != "plancher":
                client_page = visiteur if profil is None else clients[profil]
                capturer(client_page, url)  # once to warm caches, as the load tool will find them
                captures = [capturer(client_page, url) for _ in range(CAPTURES)]
                ligne.update(captures[-1])
                ligne["temps_orm_ms"] = min(  # the least disturbed of the captures, as the floor is a median
                    (
                        c_["temps_orm_ms"]
                        for c_ in captures
                        if c_["sql_principal"] == ligne["sql_principal"] and c_["temps_orm_ms"] is not None
                    ),
                    default=None,  # a page without SQL (the anonymous home page, its figures in the cache)
                )
        resultat["endpoints"].append(ligne)
    if args.ecritures:
        resultat["ecritures"] = preparer_ecritures(c, users, args.ecritures)
    Path(args.sortie).write_text(json.dumps(resultat, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
