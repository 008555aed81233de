"""`make sauvegarde`: the database and the uploaded files in one archive (ti/core/sauvegarde.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ti.core.sauvegarde import sauvegarder


class Command(BaseCommand):
    help = "Sauvegarde la base et les fichiers déposés dans une seule archive, avec un manifeste d’empreintes."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=Path, default=Path(settings.BASE_DIR) / "var" / "sauvegardes")

    def handle(self, *args, dossier: Path, **options):
        archive = sauvegarder(dossier)
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
