"""The reference lists a fiche-action is classified with: programme themes, M57 compétences, SGPE leviers."""

import csv
from pathlib import Path

DOSSIER = Path(__file__).resolve().parents[2] / "data" / "standards" / "projets-collectivites"

THEMES = [
    ("reindustrialisation", "Réindustrialisation"),
    ("decarbonation", "Décarbonation"),
    ("sobriete-fonciere", "Sobriété foncière"),
    ("competences-attractivite", "Compétences et attractivité des métiers"),
    ("innovation", "Innovation"),
    ("ecologie-industrielle", "Écologie industrielle et territoriale"),
    ("foncier", "Foncier"),
    ("energie", "Énergie"),
    ("mobilites", "Mobilités"),
    ("logement", "Logement des salariés"),
]


def lire_competences() -> list[tuple[str, str]]:
    with open(DOSSIER / "reference-data_referentiel_competences_M57_2025.csv", encoding="utf-8") as fichier:
        return [(ligne["code"], ligne["competence-sous-competence"]) for ligne in csv.DictReader(fichier)]


def lire_leviers() -> list[tuple[str, str]]:
    with open(DOSSIER / "reference-data_50_leviers_SGPE_03_2025.csv", encoding="utf-8") as fichier:
        return [(ligne["levier"], ligne["description"]) for ligne in csv.DictReader(fichier)]


def charger(Theme, Competence, Levier) -> None:
    """Idempotent; takes the model classes so that migrations can pass their historical models."""
    for ordre, (code, libelle) in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"libelle": libelle, "ordre": ordre})
    for code, libelle in lire_competences():
        Competence.objects.update_or_create(code=code, defaults={"libelle": libelle})
    for libelle, description in lire_leviers():
        Levier.objects.update_or_create(libelle=libelle, defaults={"description": description})
