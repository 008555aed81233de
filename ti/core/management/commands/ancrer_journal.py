"""Writes the day's anchor of each chain (its last rank and digest) to a file kept apart from the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ti.core import chaine


class Command(BaseCommand):
    help = (
        "Ajoute l’ancre du jour de chaque chaîne (dernier rang et dernière empreinte) au fichier des ancres, à "
        "conserver hors de la base (copie chez un tiers, courriel, support en écriture seule)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fichier", type=Path, default=settings.ANCRES_JOURNAL)

    def handle(self, *args, fichier: Path, **options):
        for ancre in chaine.ancrer(fichier):
            self.stdout.write(f"{ancre['date']} {ancre['chaine']} rang {ancre['rang']} {ancre['empreinte']}")
