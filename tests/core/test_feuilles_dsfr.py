"""The DSFR stylesheets the pages load (templates/dsfr/global_css.html, decision 0070): the build for current
browsers, and of the utilities only what the platform uses — every icon or colour class written anywhere a page can
come from is defined in a loaded sheet."""

import re
from pathlib import Path

import dsfr
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from ti.core.management.commands import assembler_feuille_dsfr

RACINE = Path(settings.BASE_DIR)
SOURCES = [RACINE / "ti", RACINE / "templates", Path(dsfr.__file__).parent / "templates"]
ICONE = re.compile(r"\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")  # not the size modifiers « fr-icon--sm »
COULEUR = re.compile(r"\bfr-background-[a-z-]+--[a-z-]+")
PLACEMENTS = {"fr-icon-left", "fr-icon-right"}  # where a button puts its icon, not icons


def feuilles(page: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)


def classes_ecrites() -> set[str]:
    trouvees = set()
    for dossier in SOURCES:
        for fichier in dossier.rglob("*"):
            if fichier.suffix in {".html", ".py"} and "migrations" not in fichier.parts:
                texte = fichier.read_text(errors="ignore")
                trouvees |= set(ICONE.findall(texte)) | set(COULEUR.findall(texte))
    return trouvees - PLACEMENTS


def test_les_pages_chargent_le_dsfr_moderne_sans_la_feuille_utilitaire_entiere(client, db):
    chargees = feuilles(client.get(reverse("accueil")).content.decode())

    assert "dsfr/dist/dsfr/dsfr.main.min.css" in chargees
    assert "dsfr/dist/dsfr/dsfr.min.css" not in chargees
    assert not any(feuille.endswith("utility.min.css") for feuille in chargees)


def test_chaque_icone_et_couleur_ecrite_est_definie_dans_une_feuille_chargee(client, db):
    chargees = feuilles(client.get(reverse("accueil")).content.decode())
    css = "".join(
        Path(finders.find(feuille.split("?")[0])).read_text() for feuille in chargees if finders.find(feuille)
    )
    ecrites = classes_ecrites()
    assert "fr-icon-download-line" in ecrites and "fr-background-alt--grey" in ecrites  # the scan sees them

    manquantes = sorted(c for c in ecrites if f".{c}" not in css)

    assert manquantes == []


def test_la_feuille_assemblee_suit_le_paquet_et_ses_familles():
    """Regenerate with `manage.py assembler_feuille_dsfr` after adding a family or upgrading django-dsfr."""
    assert assembler_feuille_dsfr.chemin().read_text() == assembler_feuille_dsfr.contenu()
