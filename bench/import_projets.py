"""Times the import of a spreadsheet of fiches-action: the preview (upload + check + page) and the confirmation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ti_import .venv/bin/python bench/import_projets.py
    DATABASE_URL=sqlite:////tmp/ti_import.sqlite3 .venv/bin/python bench/import_projets.py --lignes 3000 --format xlsx

The database must be migrated (`manage.py migrate`) and is written to: give it a database of its own. The script
adds, once, a territory of 60 communes in a fictitious département 99 and a chef de projet; then it writes a file
of `--lignes` fiches-action (CSV as French Excel saves it, Windows-1252 and semicolons, or XLSX), every column
filled, two financing lines each, the commune given by its INSEE code or by its name. For each of `--tours` runs it
times, through the real pages (Django's test client, so without network):
- the preview: POST of the file → check of every row → the page listing every row;
- the confirmation: POST of the token → check again → bulk writes, journal, plan d'action → redirect;
and prints the median and the worst time and the number of SQL queries of each step. The fiches created by a run
are removed before the next one. `--nettoyer` removes everything the script added.
"""

import argparse
import csv
import io
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ti-bench-import-"))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.connexion import ClientVerifie  # noqa: E402
from ti.comptes.models import Habilitation, Role, Utilisateur  # noqa: E402
from ti.core.models import Journal  # noqa: E402
from ti.core.texte import cle_recherche  # noqa: E402
from ti.projets.models import LigneFinancement, PlanAction, Projet  # noqa: E402
from ti.referentiel.models import Commune, Departement, Epci, Region  # noqa: E402
from ti.territoires.models import CommuneTerritoire, Phase, Territoire  # noqa: E402

IDENTIFIANT = "ti2-banc-imp"
COURRIEL = "banc-import@ti.example"
AXES = ["Recruter", "Innover", "Attirer", "Simplifier"]
THEMES = [
    "Réindustrialisation",
    "Décarbonation",
    "Sobriété foncière",
    "Innovation",
    "Écologie industrielle et territoriale",
]
PHASES, STATUTS = ["Idée", "Étude", "Opération"], ["En cours", "En retard", "En pause", "Terminé"]
TYPES = ["Entreprise", "EPCI", "Commune", "Association", "Organisme de formation"]
OBJETS = [
    "Décarbonation des fours de la fonderie",
    "Campus des métiers de l’industrie",
    "Requalification de la friche industrielle",
    "Plateforme de fabrication additive",
    "Réseau de chaleur fatale",
    "Logement des alternants et apprentis",
]
SIRETS = ["73282932000074", "35600000000048", "55208131766522", "44306184100047"]
ENTETES = [
    "Titre *", "Description", "Objectifs", "Porteur", "SIRET du porteur", "Type de porteur", "Prénom du référent",
    "Nom du référent", "Fonction du référent", "Courriel du référent", "Téléphone du référent", "Axe *", "Thèmes",
    "Phase", "Statut de la phase", "Commune", "Date de début", "Date de fin", "Budget (€)", "Emplois créés",
    "Emplois maintenus", "Investissement (€)", "tCO2e évitées par an", "Hectares", "Partenaires", "Public",
    "Financeur 1", "Dispositif 1", "Montant 1 (€)", "Statut du financement 1",
    "Financeur 2", "Dispositif 2", "Montant 2 (€)", "Statut du financement 2",
]  # fmt: skip


def preparer() -> tuple[Territoire, Utilisateur]:
    """The territory and its chef de projet, created once."""
    territoire = Territoire.objects.filter(identifiant=IDENTIFIANT).first()
    if territoire is None:
        with transaction.atomic():
            region, _ = Region.objects.get_or_create(code="99", defaults={"nom": "Région d’essai"})
            departement, _ = Departement.objects.get_or_create(
                code="99", defaults={"nom": "Département d’essai", "region": region}
            )
            epci, _ = Epci.objects.get_or_create(
                siren="299999999", defaults={"nom": "CC d’essai", "nature": Epci.Nature.CC}
            )
            communes = Commune.objects.bulk_create(
                Commune(
                    code=f"99{n:03d}",
                    nom=f"Saint-Essai-{n}",
                    nom_recherche=cle_recherche(f"Saint-Essai-{n}"),
                    departement=departement,
                    region=region,
                    epci=epci,
                    population=1000 + n,
                )
                for n in range(1, 61)
            )
            territoire = Territoire.objects.create(
                identifiant=IDENTIFIANT, code="banc-imp", phase=Phase.TEMPS_2, nom="Territoire d’essai de l’import"
            )
            CommuneTerritoire.objects.bulk_create(
                CommuneTerritoire(territoire=territoire, commune=c, code_source=c.code) for c in communes
            )
            territoire.regions.set([region])
    utilisateur, cree = Utilisateur.objects.get_or_create(email=COURRIEL, defaults={"prenom": "Banc", "nom": "Import"})
    if cree:
        Habilitation.objects.create(utilisateur=utilisateur, role=Role.CHEF_PROJET, territoire=territoire)
    return territoire, utilisateur


def lignes(nombre: int, graine: int = 2026) -> list[list[str]]:
    aleatoire = random.Random(graine)
    resultat = []
    for n in range(nombre):
        commune = aleatoire.randint(1, 60)
        budget = aleatoire.randrange(10_000, 5_000_000, 1000)
        resultat.append(
            [
                f"{aleatoire.choice(OBJETS)} n° {n}",
                "Des machines et des compétences partagées entre les entreprises du territoire, sur trois ans.",
                "Dix entreprises engagées ; vingt personnes formées.",
                f"Établissements Martin {n % 50}",
                aleatoire.choice(SIRETS),
                aleatoire.choice(TYPES),
                "Camille",
                "Martin",
                "Directrice",
                f"contact{n}@exemple.fr",
                "02 37 00 00 00",
                aleatoire.choice(AXES),
                " ; ".join(aleatoire.sample(THEMES, aleatoire.randint(1, 3))),
                aleatoire.choice(PHASES),
                aleatoire.choice(STATUTS),
                f"99{commune:03d}" if n % 2 else f"saint essai {commune}",
                f"{aleatoire.randint(1, 28):02d}/0{aleatoire.randint(1, 9)}/2025",
                f"2027-{aleatoire.randint(1, 12):02d}-15",
                f"{budget:,}".replace(",", " ") + ",00 €",
                str(aleatoire.randint(0, 50)),
                str(aleatoire.randint(0, 200)),
                str(budget // 2),
                f"{aleatoire.randint(0, 500)},5",
                "",
                "CCI, Conseil régional",
                aleatoire.choice(["oui", "non"]),
                "Conseil régional",
                "Aide à l’investissement",
                str(budget // 4),
                "Acquis",
                "État",
                "Fonds vert",
                f"{budget // 5:,}".replace(",", " "),
                "Sollicité",
            ]
        )
    return resultat


def fichier(nombre: int, format: str) -> tuple[bytes, str]:
    if format == "xlsx":
        import openpyxl

        classeur = openpyxl.Workbook()
        classeur.active.append(ENTETES)
        for ligne in lignes(nombre):
            classeur.active.append(ligne)
        sortie = io.BytesIO()
        classeur.save(sortie)
        return sortie.getvalue(), f"fiches-{nombre}.xlsx"
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(ENTETES)
    ecrivain.writerows(lignes(nombre))
    return sortie.getvalue().encode("cp1252"), f"fiches-{nombre}.csv"


def retirer_les_fiches(territoire: Territoire) -> None:
    with transaction.atomic():
        projets = Projet.objects.filter(territoire=territoire)
        ids = [str(pk) for pk in projets.values_list("pk", flat=True)]
        Journal.objects.filter(objet_type__model="projet", objet_id__in=ids).delete()
        Journal.objects.filter(objet_type__model="territoire", objet_id=str(territoire.pk)).delete()
        PlanAction.objects.filter(territoire=territoire).delete()
        LigneFinancement.objects.filter(projet__in=projets).delete()
        Projet.themes.through.objects.filter(projet__in=projets).delete()
        projets.delete()


def nettoyer() -> None:
    territoire = Territoire.objects.filter(identifiant=IDENTIFIANT).first()
    if territoire is not None:
        retirer_les_fiches(territoire)
        Habilitation.objects.filter(territoire=territoire).delete()
        territoire.delete()
    Journal.objects.filter(acteur__email=COURRIEL).delete()  # e.g. the plan versions the imports opened
    Utilisateur.objects.filter(email=COURRIEL).delete()
    Commune.objects.filter(code__startswith="99", departement_id="99").delete()
    Departement.objects.filter(code="99").delete()
    Epci.objects.filter(siren="299999999").delete()
    Region.objects.filter(code="99").delete()


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--lignes", type=int, default=3000)
    arguments.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    arguments.add_argument("--tours", type=int, default=5)
    arguments.add_argument("--nettoyer", action="store_true", help="retirer les données ajoutées par le script")
    options = arguments.parse_args()
    if options.nettoyer:
        nettoyer()
        return

    territoire, utilisateur = preparer()
    retirer_les_fiches(territoire)
    contenu, nom = fichier(options.lignes, options.format)
    print(
        f"Base {connection.vendor} ({connection.settings_dict['NAME']}) ; fichier {nom} : {options.lignes} fiches, "
        f"{_fr(len(contenu) / 1024 / 1024)} Mo"
    )
    client = ClientVerifie(HTTP_HOST="localhost")  # the second factor given, as after a real login
    client.force_login(utilisateur)
    url = reverse("projets:import", args=[territoire.identifiant])
    mesures = {"aperçu": [], "confirmation": []}
    requetes = {}
    for _ in range(options.tours):
        with CaptureQueriesContext(connection) as capture:
            debut = time.perf_counter()
            apercu = client.post(url, {"fichier": _televersement(contenu, nom)})
            mesures["aperçu"].append(time.perf_counter() - debut)
        requetes["aperçu"] = len(capture)
        jeton = re.search(r'name="jeton" value="([^"]+)"', apercu.content.decode())
        if jeton is None:
            sys.exit("Fichier refusé : " + re.sub(r"<[^>]+>|\s+", " ", apercu.content.decode())[:2000])
        with CaptureQueriesContext(connection) as capture:
            debut = time.perf_counter()
            reponse = client.post(url, {"jeton": jeton.group(1)})
            mesures["confirmation"].append(time.perf_counter() - debut)
        requetes["confirmation"] = len(capture)
        assert reponse.status_code == 302, reponse.status_code
        assert Projet.objects.filter(territoire=territoire).count() == options.lignes
        retirer_les_fiches(territoire)
    for etape, durees in mesures.items():
        print(
            f"  {etape:<13} médiane {_fr(statistics.median(durees)):>6} s   pire {_fr(max(durees)):>6} s   "
            f"{requetes[etape]} requêtes SQL ({options.tours} tours)"
        )


def _fr(nombre: float) -> str:
    return f"{nombre:.2f}".replace(".", ",")


def _televersement(contenu: bytes, nom: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nom, contenu)


if __name__ == "__main__":
    main()
