"""Checks the tamper-evident chains of the journal and transition logs, and optionally the daily anchors."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ti.core import chaine


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne d’empreintes du journal et des historiques d’états ; nomme la première ligne rompue. "
        "Avec --ancres, vérifie aussi que chaque ancre quotidienne correspond encore à la chaîne."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ancres",
            type=Path,
            nargs="?",
            const=settings.ANCRES_JOURNAL,
            help=f"fichier des ancres (par défaut {settings.ANCRES_JOURNAL})",
        )

    def handle(self, *args, ancres: Path | None, **options):
        try:
            for modele in chaine.modeles_chaines():
                longueur = chaine.verifier(modele)
                self.stdout.write(f"{modele._meta.verbose_name_plural} : {longueur} lignes, chaîne intègre.")
            if ancres is not None:
                lignes = [json.loads(ligne) for ligne in ancres.read_text().splitlines() if ligne.strip()]
                for ancre in lignes:
                    chaine.verifier_ancre(ancre)
                self.stdout.write(f"{len(lignes)} ancres vérifiées ({ancres}).")
        except chaine.Rupture as rupture:
            raise CommandError(f"Chaîne rompue — {rupture}") from rupture
        except FileNotFoundError as absent:
            raise CommandError(f"Fichier des ancres introuvable : {absent.filename}") from absent
