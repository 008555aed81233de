"""`manage.py import_cog data/cog-2026`: loads or updates the référentiel from the découpage administratif files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ti.core.formats import nombre
from ti.referentiel.importer import FichiersInvalides, Rapport, importer_cog

LIBELLES = {
    "regions": ("région", "régions"),
    "departements": ("département", "départements"),
    "epcis": ("EPCI", "EPCI"),
    "communes": ("commune", "communes"),
    "rattachees": ("commune rattachée", "communes rattachées"),
}


TITRES = {
    "regions": "Régions",
    "departements": "Départements",
    "epcis": "EPCI",
    "communes": "Communes",
    "rattachees": "Communes rattachées",
}

MASCULINS = {"departements", "epcis"}


def compte(n: int, niveau: str) -> str:
    singulier, pluriel = LIBELLES[niveau]
    return f"{nombre(n)} {singulier if n <= 1 else pluriel}"


def lignes_du_rapport(rapport: Rapport) -> list[str]:
    if rapport.inchange:
        lignes = [f"Référentiel COG {rapport.annee} déjà à jour : aucun changement."]
    else:
        duree = f"{rapport.duree:.1f}".replace(".", ",")
        comptes = ", ".join(compte(bilan.total, niveau) for niveau, bilan in rapport.bilans.items())
        lignes = [f"COG {rapport.annee} importé en {duree} s : {comptes}."]
        premier_import = all(bilan.crees == bilan.total and not bilan.supprimes for bilan in rapport.bilans.values())
        for niveau, bilan in rapport.bilans.items():
            if bilan.change and not premier_import:
                lignes.append(
                    f"  {TITRES[niveau]} : {nombre(bilan.crees)} création(s), {nombre(bilan.modifies)} "
                    f"modification(s), {nombre(bilan.supprimes)} suppression(s)."
                )
    for niveau, bilan in rapport.bilans.items():
        if bilan.conserves:
            e = "" if niveau in MASCULINS else "e"
            lignes.append(
                f"  {TITRES[niveau]} absent{e}s des fichiers, conservé{e}s car encore référencé{e}s "
                f"({nombre(len(bilan.conserves))}) : {', '.join(bilan.conserves)}."
            )
    hors_cog = rapport.hors_cog
    if any(hors_cog.values()) and not rapport.inchange:
        lignes.append(
            "  Collectivités d’outre-mer laissées hors du référentiel : "
            f"{nombre(hors_cog['regions'])} collectivité(s), {compte(hors_cog['communes'], 'communes')}."
        )
    return lignes


class Command(BaseCommand):
    help = "Importe ou met à jour le référentiel géographique (COG) depuis les fichiers du découpage administratif."

    def add_arguments(self, parser):
        parser.add_argument(
            "dossier",
            type=Path,
            help="dossier de regions.json, departements.json, epci.json, communes.json (ou .json.gz)",
        )
        parser.add_argument("--millesime", type=int, help="année du COG (par défaut, l’année du nom du dossier)")

    def handle(self, *args, dossier: Path, millesime: int | None, **options):
        try:
            rapport = importer_cog(dossier, annee=millesime)
        except FichiersInvalides as erreur:
            raise CommandError(str(erreur)) from erreur
        if options["verbosity"] >= 1:
            for ligne in lignes_du_rapport(rapport):
                self.stdout.write(ligne)
