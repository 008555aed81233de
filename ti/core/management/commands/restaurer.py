"""`make restauration ARCHIVE=…`: replaces the database and the uploaded files by those of an archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ti.core.sauvegarde import SauvegardeInvalide, restaurer


class Command(BaseCommand):
    help = (
        "Restaure la base et les fichiers déposés depuis une archive de « sauvegarder », après avoir vérifié chaque "
        "membre contre le manifeste. Remplace tout le contenu actuel."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--oui", action="store_true", help="confirme le remplacement du contenu actuel")

    def handle(self, *args, archive: Path, oui: bool, **options):
        if not oui:
            raise CommandError("La restauration remplace toute la base et tous les fichiers : relancez avec --oui.")
        if not archive.is_file():
            raise CommandError(f"Archive introuvable : {archive}")
        try:
            manifeste = restaurer(archive)
        except SauvegardeInvalide as erreur:
            raise CommandError(str(erreur)) from erreur
        lignes = sum(manifeste["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauration terminée : sauvegarde du {manifeste['date']}, {lignes} lignes, "
                f"{len(manifeste['membres']) - 1} fichiers."
            )
        )
