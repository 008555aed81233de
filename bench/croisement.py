"""Times « Croiser un fichier » on a generated file of a million rows, end to end, and watches the memory.

    DATABASE_URL=sqlite:////tmp/ti_croisement.sqlite3 .venv/bin/python bench/croisement.py --preparer
    DATABASE_URL=sqlite:////tmp/ti_croisement.sqlite3 .venv/bin/python bench/croisement.py --lignes 100000 1000000

`--preparer` migrates the database and loads what `make run` loads (COG 2026, the territories' files found in
`data/territoires-industrie/`): give the script a database of its own. Then, for each size of `--lignes` (smallest
first), it writes a CSV as State files come (semicolons, a commune code column written every way spreadsheets do:
5 digits, a lost leading zero, `1053.0`, former codes, communes déléguées, empty, NULL, unknown) and runs the
server's path of the tool on it: receive (copy and check of the whole file), then the streamed response read to the
end and written to disk. It prints the time of each step, the rows per second, the peak resident memory of the
process after each size and the resident memory sampled while the rows stream: flat memory means the same peak for
100 000 and 1 000 000 rows. Not part of the test suite.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CROISEMENT_DEPOT", tempfile.mkdtemp(prefix="ti-bench-croisement-"))

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from ti.croisement import correspondances, service  # noqa: E402
from ti.referentiel.models import Commune, CommuneRattachee  # noqa: E402
from ti.territoires.models import Territoire  # noqa: E402

FICHIERS_TERRITOIRES = {1: "temps1-communes-2020.csv", 2: "temps2-communes-2026.csv"}


def preparer() -> None:
    call_command("migrate", verbosity=0)
    call_command("import_cog", "data/cog-2026", verbosity=0)
    for phase, nom in FICHIERS_TERRITOIRES.items():
        chemin = Path("data/territoires-industrie") / nom
        if chemin.exists():
            call_command("import_territoires", "--phase", str(phase), str(chemin), verbosity=0)


def rss_mo() -> float:
    with open("/proc/self/status") as statut:
        for ligne in statut:
            if ligne.startswith("VmRSS:"):
                return int(ligne.split()[1]) / 1024
    return 0.0


def pic_mo() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generer(chemin: Path, lignes: int) -> None:
    """A file of awards: dirty codes in the proportions met in State files."""
    hasard = random.Random(lignes)
    codes = list(Commune.objects.values_list("code", flat=True))
    rattachees = list(CommuneRattachee.objects.values_list("code", flat=True)) or codes
    anciens = list(correspondances.anciens_codes(2026)) or codes

    def code() -> str:
        tirage = hasard.random()
        choisi = hasard.choice(codes)
        if tirage < 0.80:
            return choisi
        if tirage < 0.88 and choisi.startswith("0"):
            return choisi[1:]  # the leading zero a spreadsheet lost
        if tirage < 0.92:
            return f"{int(choisi)}.0" if choisi.isdigit() else choisi
        if tirage < 0.95:
            return hasard.choice(anciens)
        if tirage < 0.97:
            return hasard.choice(rattachees)
        return hasard.choice(["", "NULL", "99999", "n/a"])

    with chemin.open("w", encoding="utf-8", newline="") as sortie:
        ecrivain = csv.writer(sortie, delimiter=";")
        ecrivain.writerow(["numero_dossier", "beneficiaire", "siret", "montant", "code_commune", "annee"])
        for numero in range(lignes):
            ecrivain.writerow(
                [f"FV-{numero:08d}", f"Entreprise {numero % 5000}", f"{hasard.randrange(10**13, 10**14)}",
                 f"{hasard.randrange(1000, 2_000_000)},00", code(), "2025"]
            )  # fmt: skip


class Echantillons(threading.Thread):
    """The resident memory every 100 ms while the rows stream."""

    def __init__(self):
        super().__init__(daemon=True)
        self.valeurs: list[float] = []
        self.fin = threading.Event()

    def run(self):
        while not self.fin.wait(0.1):
            self.valeurs.append(rss_mo())


def mesurer(lignes: int, dossier: Path) -> None:
    entree, sortie = dossier / f"entree-{lignes}.csv", dossier / f"sortie-{lignes}.csv"
    generer(entree, lignes)
    taille = entree.stat().st_size
    debut, debut_cpu = time.perf_counter(), time.process_time()
    with entree.open("rb") as flux:
        jeton, chemin, examen = service.recevoir(UploadedFile(flux, name=entree.name, size=taille))
    recu = time.perf_counter()
    choix = service.choix_des_colonnes(examen, code="code_commune")
    echantillons = Echantillons()
    echantillons.start()
    reponse = service.reponse(jeton, chemin, examen, entree.name, choix)
    with sortie.open("wb") as fichier:
        for morceau in reponse.streaming_content:
            fichier.write(morceau)
    fin, cpu = time.perf_counter(), time.process_time() - debut_cpu
    echantillons.fin.set()
    echantillons.join()
    with sortie.open(encoding="utf-8-sig") as resultat:
        statuts = {}
        for ligne in csv.DictReader(resultat, delimiter=";"):
            statuts[ligne["ti_statut"]] = statuts.get(ligne["ti_statut"], 0) + 1
    assert sum(statuts.values()) == lignes, "chaque ligne doit être rendue"
    rss = echantillons.valeurs or [rss_mo()]
    print(
        f"{lignes:>9} lignes ({taille / 1024 / 1024:.0f} Mo) : réception et vérification {recu - debut:.1f} s, "
        f"croisement en flux {fin - recu:.1f} s, total {fin - debut:.1f} s ({lignes / (fin - debut):,.0f} lignes/s) ; "
        f"temps processeur {cpu:.1f} s (la machine partagée allonge le temps écoulé)"
    )
    print(
        f"          mémoire résidente pendant le flux : {min(rss):.0f}–{max(rss):.0f} Mo ; "
        f"pic du processus depuis le début : {pic_mo():.0f} Mo"
    )
    print(f"          statuts : {', '.join(f'{cle} {nombre}' for cle, nombre in sorted(statuts.items()))}")
    entree.unlink()
    sortie.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preparer", action="store_true", help="migrer et charger le COG et les territoires")
    parser.add_argument("--lignes", type=int, nargs="+", default=[100_000, 1_000_000])
    arguments = parser.parse_args()
    if arguments.preparer:
        preparer()
    territoires = Territoire.objects.count()
    print(f"Référentiel : {Commune.objects.count()} communes, {territoires} territoires ; pic {pic_mo():.0f} Mo")
    debut = time.perf_counter()
    correspondances.correspondances()
    print(f"Correspondances construites en {time.perf_counter() - debut:.2f} s ; pic {pic_mo():.0f} Mo")
    with tempfile.TemporaryDirectory(prefix="ti-bench-croisement-") as dossier:
        for lignes in sorted(arguments.lignes):
            mesurer(lignes, Path(dossier))


if __name__ == "__main__":
    main()
