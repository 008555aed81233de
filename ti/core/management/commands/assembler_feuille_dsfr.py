"""Writes the one stylesheet of DSFR utilities the pages load: the icon families the platform uses and the colours,
in their current-browser build, joined (decision 0070). Run it after adding a family or upgrading django-dsfr; a
test fails while the file differs from what this command would write.

The file sits at the same depth as the DSFR's own icon sheets, so that their relative `url(../../../icons/…)`
resolve to the same SVG files, which collectstatic's manifest then fingerprints."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand

FAMILLES = ("arrows", "business", "communication", "design", "document", "editor", "map", "media", "system", "user")
SOURCES = [f"dsfr/dist/utility/icons/icons-{f}/icons-{f}.main.min.css" for f in FAMILLES] + [
    "dsfr/dist/utility/colors/colors.main.min.css"
]
FEUILLE = "dsfr/dist/utility/icons/icons-plateforme/icons-plateforme.min.css"


def contenu() -> str:
    return "\n".join(Path(finders.find(source)).read_text() for source in SOURCES) + "\n"


def chemin() -> Path:
    return Path(settings.BASE_DIR) / "static" / FEUILLE


class Command(BaseCommand):
    help = "Assemble les familles d’icônes et les couleurs du DSFR employées en une seule feuille (static/)."

    def handle(self, *args, **options):
        chemin().parent.mkdir(parents=True, exist_ok=True)
        chemin().write_text(contenu())
        self.stdout.write(f"{chemin()} : {len(SOURCES)} feuilles du DSFR assemblées.")
