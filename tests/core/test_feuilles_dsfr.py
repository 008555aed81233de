"""The DSFR stylesheets the pages load (templates/dsfr/global_css.html, decisions 0070 and 0071): the build for
current browsers, and of the utilities only the rules of the classes the platform writes — every icon or colour class
written anywhere a page can come from is defined in a loaded sheet, and no other."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

from ti.core.management.commands import assembler_feuille_dsfr


def feuilles(page: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)


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
    ecrites = assembler_feuille_dsfr.classes_ecrites()
    assert "fr-icon-download-line" in ecrites and "fr-background-alt--grey" in ecrites  # the scan sees them

    manquantes = sorted(c for c in ecrites if f".{c}" not in css)

    assert manquantes == []


def test_la_feuille_assemblee_suit_le_paquet_et_ses_familles():
    """Regenerate with `manage.py assembler_feuille_dsfr` after writing a new icon or colour class, or upgrading
    django-dsfr."""
    assert assembler_feuille_dsfr.chemin().read_text() == assembler_feuille_dsfr.contenu()


def test_la_feuille_assemblee_ne_garde_que_les_classes_ecrites():
    feuille = assembler_feuille_dsfr.contenu()
    ecrites = assembler_feuille_dsfr.classes_ecrites()

    assert "fr-icon-bug-line" not in ecrites and ".fr-icon-bug-line" not in feuille  # a DSFR icon nobody writes
    assert ".fr-icon-download-line:after" in feuille and ".fr-background-alt--grey{" in feuille
    assert feuille.startswith("/*!\n * DSFR v") and len(feuille) < 20_000
