"""Writes the one stylesheet of DSFR utilities the pages load: of the icons and colours of the DSFR, in their
current-browser build, only the rules of the classes written in the platform's templates and code (decisions 0070
and 0071). Run it after writing a new icon or colour class, or upgrading django-dsfr; a test fails while the file
differs from what this command would write.

The file sits at the same depth as the DSFR's own icon sheets, so that their relative `url(../../../icons/…)`
resolve to the same SVG files, which collectstatic's manifest then fingerprints."""

import re
from pathlib import Path

import dsfr
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand

FAMILLES = (
    "arrows", "buildings", "business", "communication", "design", "development", "device", "document", "editor",
    "finance", "health", "logo", "map", "media", "others", "system", "user", "weather",
)  # fmt: skip
SOURCES = [f"dsfr/dist/utility/icons/icons-{f}/icons-{f}.main.min.css" for f in FAMILLES] + [
    "dsfr/dist/utility/colors/colors.main.min.css"
]
FEUILLE = "dsfr/dist/utility/icons/icons-plateforme/icons-plateforme.min.css"
# Where a class a page may carry is written: the platform's code and templates, and django-dsfr's templates.
ECRITS = ("ti", "templates")
ICONE = re.compile(r"\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")  # not the size modifiers « fr-icon--sm »
COULEUR = re.compile(r"\bfr-background-[a-z-]+--[a-z-]+")
PLACEMENTS = {"fr-icon-left", "fr-icon-right"}  # where a button puts its icon, not icons
REGLE = re.compile(r"([^{}]+)\{([^{}]*)\}")  # the sheets are flat: rules, and empty @media blocks
CLASSE = re.compile(r"\.(fr-[a-z0-9-]+)")
COMMENTAIRE = re.compile(r"/\*.*?\*/", re.S)
LICENCE = re.compile(r"/\*!.*?\*/", re.S)


def dossiers_ecrits() -> list[Path]:
    return [Path(settings.BASE_DIR) / dossier for dossier in ECRITS] + [Path(dsfr.__file__).parent / "templates"]


def classes_ecrites() -> set[str]:
    """Every icon and colour class written in a template or a Python file (migrations aside)."""
    trouvees = set()
    for dossier in dossiers_ecrits():
        for fichier in dossier.rglob("*"):
            if fichier.suffix in {".html", ".py"} and "migrations" not in fichier.parts:
                texte = fichier.read_text(errors="ignore")
                trouvees |= set(ICONE.findall(texte)) | set(COULEUR.findall(texte))
    return trouvees - PLACEMENTS


def contenu() -> str:
    """The DSFR's licence notice, then each rule of the sources whose selector names a written class."""
    ecrites = classes_ecrites()
    textes = [Path(finders.find(source)).read_text() for source in SOURCES]
    regles = [
        f"{selecteur.strip()}{{{declarations}}}"
        for texte in textes
        for selecteur, declarations in REGLE.findall(COMMENTAIRE.sub("", texte))
        if set(CLASSE.findall(selecteur)) & ecrites
    ]
    return LICENCE.search(textes[0]).group() + "".join(regles) + "\n"


def chemin() -> Path:
    return Path(settings.BASE_DIR) / "static" / FEUILLE


class Command(BaseCommand):
    help = "Assemble les règles des icônes et couleurs du DSFR employées en une seule feuille (static/)."

    def handle(self, *args, **options):
        chemin().parent.mkdir(parents=True, exist_ok=True)
        texte = contenu()
        chemin().write_text(texte)
        self.stdout.write(f"{chemin()} : {texte.count('{')} règles du DSFR assemblées.")
