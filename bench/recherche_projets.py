"""Times the search over fiches-action and its facets on a few thousand generated projects.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ti_recherche .venv/bin/python bench/recherche_projets.py
    DATABASE_URL=sqlite:////tmp/ti_recherche.sqlite3 .venv/bin/python bench/recherche_projets.py --projets 5000

The database must be migrated (`manage.py migrate`) and is written to: give it a database of its own. The script
adds 183 territories (18 régions) and `--projets` fiches-action with bulk_create — once: a second run with the same
number reuses them —
then, for a few typical searches, times the first page of 20 of `rechercher_projets` (as the page does) and the
counts of `compter` (the number of results and the facets), each repeated `--tours` times, and prints the median and
the worst time, the number of SQL queries, and on PostgreSQL the plan of the full-text query (`EXPLAIN ANALYZE`) to
show whether the GIN index is used. The counts are timed uncached (`--avec-cache` to time them as the page gets
them: computed once, then read from the cache).
`--nettoyer` removes what the script added.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.connexion import ClientVerifie  # noqa: E402
from tests.factories import utilisateur_avec  # noqa: E402
from ti.comptes.models import Role  # noqa: E402
from ti.core.cache import invalider  # noqa: E402
from ti.projets.models import Axe, PhaseProjet, Projet, StatutPhase, Theme  # noqa: E402
from ti.projets.selectors import PUBLIC, compter, rechercher_projets  # noqa: E402
from ti.referentiel.models import Region  # noqa: E402
from ti.territoires.models import Phase, Territoire  # noqa: E402

PREFIXE = "bench-"  # identifiants of what this script adds
REGIONS = [f"{n:02d}" for n in (11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94, 1, 2, 3, 4, 6)]
# Titles are an action on a subject in a place: each subject word is in ~3 % of the fiches, as in real plans,
# except « fonderie », put in one fiche in five to time a frequent word too.
ACTIONS = [
    "Décarbonation",
    "Modernisation",
    "Extension",
    "Requalification",
    "Mutualisation",
    "Électrification",
    "Robotisation",
    "Création",
    "Relocalisation",
    "Diagnostic",
    "Étude de faisabilité",
    "Numérisation",
]
SUJETS = [
    "de la fonderie",
    "des fonderies d’aluminium",
    "du site de la papeterie",
    "de la friche industrielle",
    "du campus des métiers",
    "de la plateforme de fabrication additive",
    "du réseau de chaleur fatale",
    "de la filière hydrogène",
    "de l’atelier de décolletage",
    "de la zone d’activités portuaire",
    "du centre de formation des soudeurs",
    "de la chaudronnerie",
    "de la verrerie",
    "de la tannerie",
    "de la scierie",
    "de la laiterie coopérative",
    "de l’usine de batteries",
    "de la cimenterie",
    "du pôle de recyclage des métaux",
    "de la maison de l’industrie",
    "des logements d’alternants",
    "de la chaîne d’assemblage",
    "de l’unité de méthanisation",
    "du laboratoire d’essais",
    "de la forge",
    "de l’atelier textile",
    "du parc photovoltaïque en toiture",
    "de la station de traitement des eaux",
    "de la ligne d’embouteillage",
    "du magasin logistique",
]
LIEUX = [
    "Montargis",
    "Châteauroux",
    "Vierzon",
    "Le Creusot",
    "Saint-Étienne",
    "Dunkerque",
    "Lorient",
    "Figeac",
    "Gien",
    "Issoudun",
    "Romorantin",
    "Dreux",
    "Vendôme",
    "Pithiviers",
    "Bourges",
    "Blois",
    "Chartres",
    "Tours",
    "Oyonnax",
    "Cholet",
    "Thiers",
    "Annonay",
    "Albi",
    "Lacq",
    "Fos-sur-Mer",
    "Cluses",
    "Belfort",
    "Montbéliard",
]
PORTEURS = [
    f"{forme} {nom}"
    for forme in ("Forges", "Ateliers", "Établissements", "Industries")
    for nom in (
        "du Gâtinais",
        "de l’Indre",
        "Berrichonnes",
        "du Val de Loire",
        "Martin",
        "Dubois",
        "Lefèvre",
        "du Perche",
    )
]


def generer(nombre: int, graine: int = 2026) -> None:
    deja = Projet.objects.filter(territoire__identifiant__startswith=PREFIXE).count()
    if deja == nombre:
        return
    if deja:
        nettoyer()  # another size was asked for: start again
    aleatoire = random.Random(graine)
    with transaction.atomic():
        regions = [Region.objects.get_or_create(code=code, defaults={"nom": f"Région {code}"})[0] for code in REGIONS]
        territoires = Territoire.objects.bulk_create(
            Territoire(
                identifiant=f"{PREFIXE}{n:03d}",
                code=f"B{n:03d}",
                phase=Phase.TEMPS_2,
                nom=f"Territoire d’essai {n}",
                nom_recherche=f"territoire d essai {n}",
            )
            for n in range(183)
        )
        Territoire.regions.through.objects.bulk_create(
            Territoire.regions.through(territoire_id=t.pk, region_id=regions[n % len(regions)].pk)
            for n, t in enumerate(territoires)
        )
        themes = list(Theme.objects.values_list("code", flat=True))
        projets = []
        for n in range(nombre):
            sujet = "de la fonderie" if aleatoire.random() < 0.2 else aleatoire.choice(SUJETS)
            objet, lieu = f"{aleatoire.choice(ACTIONS)} {sujet}", aleatoire.choice(LIEUX)
            projet = Projet(
                territoire=aleatoire.choice(territoires),
                titre=f"{objet} — {lieu} ({n})",
                description=f"{objet} à {lieu}, avec les entreprises et les collectivités du territoire.",
                porteur_nom=aleatoire.choice(PORTEURS),
                axe=aleatoire.choice(Axe.values),
                phase=aleatoire.choice(PhaseProjet.values),
                phase_statut=aleatoire.choice(StatutPhase.values),
                budget=aleatoire.randrange(10_000, 5_000_000, 1000),
                public=aleatoire.random() < 0.4,
            )
            projet.texte_recherche = projet.calculer_texte_recherche()  # bulk_create skips save()
            projets.append(projet)
        projets = Projet.objects.bulk_create(projets, batch_size=1000)
        Projet.themes.through.objects.bulk_create(
            (
                Projet.themes.through(projet_id=p.pk, theme_id=code)
                for p in projets
                for code in aleatoire.sample(themes, aleatoire.randint(1, 2))
            ),
            batch_size=2000,
        )
    invalider()  # bulk_create sends no signal: the cached counts must not outlive these rows
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute("VACUUM ANALYZE")  # fresh statistics, no dead rows left by a previous run


def nettoyer() -> None:
    with transaction.atomic():
        projets = Projet.objects.filter(territoire__identifiant__startswith=PREFIXE)
        Projet.themes.through.objects.filter(projet__in=projets).delete()
        projets.delete()
        Territoire.objects.filter(identifiant__startswith=PREFIXE).delete()


def chronometrer(fonction, tours: int) -> tuple[float, float, int]:
    durees = []
    for _ in range(tours):
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            fonction()
            durees.append((time.perf_counter() - debut) * 1000)
    return statistics.median(durees), max(durees), len(requetes)


def page_de_resultats(user, criteres: dict) -> None:
    list(rechercher_projets(user, **criteres)[:20])


def comptes(user, criteres: dict, *, cache: bool) -> None:
    if not cache:
        invalider()  # a new generation: computed again
    compter(user, **criteres)


def plan(user, criteres: dict) -> str:
    projets = rechercher_projets(user, **criteres)[:20]
    sql, parametres = projets.query.sql_with_params()
    with connection.cursor() as curseur:
        curseur.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", parametres)
        return "\n".join(f"      {ligne}" for (ligne,) in curseur.fetchall())


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--projets", type=int, default=5000)
    arguments.add_argument("--tours", type=int, default=20)
    arguments.add_argument("--nettoyer", action="store_true", help="retirer les données ajoutées par le script")
    arguments.add_argument("--avec-cache", action="store_true", help="les comptes lus dans le cache après le 1er tour")
    options = arguments.parse_args()
    if options.nettoyer:
        nettoyer()
        return

    debut = time.perf_counter()
    generer(options.projets)
    total = Projet.objects.filter(territoire__identifiant__startswith=PREFIXE).count()
    print(
        f"Base {connection.vendor} ({connection.settings_dict['NAME']}) : {total} fiches d’essai, "
        f"{Projet.objects.count()} en tout (préparation {time.perf_counter() - debut:.1f} s)"
    )

    with transaction.atomic():
        equipe_nationale = utilisateur_avec(
            Role.EQUIPE_NATIONALE, utilisateur__email=f"banc-{uuid.uuid4().hex}@ti.example"
        )
        chef_projet = utilisateur_avec(
            Role.CHEF_PROJET,
            territoire=Territoire.objects.filter(identifiant__startswith=PREFIXE).first(),
            utilisateur__email=f"banc-{uuid.uuid4().hex}@ti.example",
        )
        cas = [
            ("public, sans texte", PUBLIC, {}),
            ("public, « fonderie » (mot fréquent)", PUBLIC, {"q": "fonderie"}),
            ("public, « tannerie »", PUBLIC, {"q": "tannerie"}),
            ("équipe nationale, sans texte", equipe_nationale, {}),
            ("équipe nationale, « decarbonation »", equipe_nationale, {"q": "decarbonation"}),
            (
                "équipe nationale, « hydrogène Dunkerque » + axe",
                equipe_nationale,
                {"q": "hydrogène Dunkerque", "axe": "innover"},
            ),
            (
                "équipe nationale, « fonderies » + région + phase",
                equipe_nationale,
                {"q": "fonderies", "region": "24", "phase": ["etude", "operation"]},
            ),
            ("chef de projet, « friche »", chef_projet, {"q": "friche"}),
            ("chef de projet, « verrerie » + territoire", chef_projet, {"q": "verrerie", "territoire": "bench-000"}),
        ]
        print(f"\n{'Recherche':<52} {'page (ms)':>18} {'comptes (ms)':>18}")
        print(f"{'':<52} {'médiane / pire  req.':>18} {'médiane / pire  req.':>18}")
        for libelle, user, criteres in cas:
            resultats = rechercher_projets(user, **criteres).count()
            page = chronometrer(lambda u=user, c=criteres: page_de_resultats(u, c), options.tours)
            temps = chronometrer(lambda u=user, c=criteres: comptes(u, c, cache=options.avec_cache), options.tours)
            print(
                f"{libelle + f' ({resultats})':<52} {page[0]:>6.1f} / {page[1]:>5.1f}  {page[2]:>2}"
                f" {temps[0]:>6.1f} / {temps[1]:>5.1f}  {temps[2]:>2}"
            )
        # The whole page, template included, as a browser gets it.
        client = ClientVerifie(HTTP_HOST="127.0.0.1")  # the second factor given, as after a real login
        pages = [
            ("annuaire, « fonderie »", None, "/projets/?q=fonderie"),
            ("annuaire, sans texte, page 3", None, "/projets/?page=3"),
            (
                "recherche, équipe nationale, « decarbonation » + axe",
                equipe_nationale,
                "/projets/?q=decarbonation&axe=innover",
            ),
        ]
        print(f"\n{'Page entière (gabarit compris)':<60} {'médiane / pire (ms)':>20}")
        for libelle, user, url in pages:
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            mediane, pire, _ = chronometrer(lambda u=url: client.get(u), options.tours)
            print(f"{libelle:<60} {mediane:>9.1f} / {pire:>6.1f}")
        if connection.vendor == "postgresql":
            print("\nPlan de « decarbonation » (équipe nationale) :")
            print(plan(equipe_nationale, {"q": "decarbonation"}))
            print("\nPlan de « fonderies » (public) :")
            print(plan(PUBLIC, {"q": "fonderies"}))
            print("\nPlan de « tannerie » (public) :")
            print(plan(PUBLIC, {"q": "tannerie"}))
        transaction.set_rollback(True)  # the two users were only for the measure


if __name__ == "__main__":
    main()
