"""The columns of the fiches-action import: their headers, how a header is recognised, what the help says.

`COLONNES` declares them once: the importer (`ti.projets.importer`), the template and its help sheet
(`ti.projets.import_modele`) all come from there. How each cell is read is in `ti.projets.import_cellules`.
"""

import re
from dataclasses import dataclass

from django.db import models

from ti.core.texte import cle_recherche
from ti.projets.models import (
    Axe,
    PhaseProjet,
    StatutFinancement,
    StatutPhase,
    TypePorteur,
)

SEPARATEUR_THEMES = ";"
TITRE_EXEMPLE = "Exemple : plateforme mutualisée de fabrication additive"  # the template's example row


@dataclass(frozen=True)
class Colonne:
    """A column of the file: the field it fills, its header in the template, what the help sheet says of it."""

    cle: str
    entete: str
    aide: str
    nature: str = "texte"  # texte, siret, choix, themes, commune, date, montant, nombre, entier, courriel, booleen
    obligatoire: bool = False
    choix: type[models.TextChoices] | None = None
    alias: tuple[str, ...] = ()

    @property
    def intitule(self) -> str:
        """The header as the template writes it: a star marks the required columns."""
        return f"{self.entete} *" if self.obligatoire else self.entete


COLONNES = (
    Colonne(
        "titre",
        "Titre",
        "Intitulé de la fiche-action (255 caractères au plus).",
        obligatoire=True,
        alias=("intitule", "nom du projet", "titre du projet", "projet"),
    ),
    Colonne("description", "Description", "Texte libre."),
    Colonne("objectifs", "Objectifs", "Texte libre."),
    Colonne(
        "porteur_nom",
        "Porteur",
        "Nom de la structure qui porte le projet.",
        alias=("porteur du projet", "nom du porteur", "maitre d ouvrage"),
    ),
    Colonne(
        "porteur_siret",
        "SIRET du porteur",
        "14 chiffres, espaces permis ; la clé de contrôle est vérifiée.",
        nature="siret",
        alias=("siret",),
    ),
    Colonne("porteur_type", "Type de porteur", "Une des valeurs de la liste.", nature="choix", choix=TypePorteur),
    Colonne("referent_prenom", "Prénom du référent", "Personne à contacter chez le porteur."),
    Colonne("referent_nom", "Nom du référent", "Nom de famille.", alias=("referent",)),
    Colonne("referent_fonction", "Fonction du référent", "Son poste chez le porteur."),
    Colonne(
        "referent_email",
        "Courriel du référent",
        "Adresse électronique valide.",
        nature="courriel",
        alias=("email du referent", "e mail du referent", "mail du referent", "courriel"),
    ),
    Colonne("referent_telephone", "Téléphone du référent", "30 caractères au plus.", alias=("telephone",)),
    Colonne("axe", "Axe", "Un des quatre axes du programme.", nature="choix", choix=Axe, obligatoire=True),
    Colonne(
        "themes",
        "Thèmes",
        f"Un ou plusieurs thèmes de la liste, séparés par « {SEPARATEUR_THEMES} ».",
        nature="themes",
        alias=("theme",),
    ),
    Colonne("phase", "Phase", "Vide : Idée.", nature="choix", choix=PhaseProjet, alias=("phase du projet",)),
    Colonne(
        "phase_statut",
        "Statut de la phase",
        "Vide : En cours.",
        nature="choix",
        choix=StatutPhase,
        alias=("statut", "statut de phase"),
    ),
    Colonne(
        "commune",
        "Commune",
        "Code INSEE (5 caractères, conseillé) ou nom d’une commune du périmètre du territoire.",
        nature="commune",
        alias=("code insee", "commune code insee ou nom", "insee", "localisation"),
    ),
    Colonne("date_debut", "Date de début", "JJ/MM/AAAA ou AAAA-MM-JJ.", nature="date", alias=("debut",)),
    Colonne(
        "date_fin", "Date de fin", "JJ/MM/AAAA ou AAAA-MM-JJ, après la date de début.", nature="date", alias=("fin",)
    ),
    Colonne(
        "budget",
        "Budget (€)",
        "Montant en euros : 1 250 000,50 ou 1250000.5 ; « € » permis.",
        nature="montant",
        alias=("budget total", "cout", "cout total"),
    ),
    Colonne("emplois_crees", "Emplois créés", "Nombre entier.", nature="entier"),
    Colonne("emplois_maintenus", "Emplois maintenus", "Nombre entier.", nature="entier"),
    Colonne("investissement", "Investissement (€)", "Montant en euros.", nature="montant"),
    Colonne(
        "tco2e_evitees",
        "tCO2e évitées par an",
        "Tonnes équivalent CO2 évitées chaque année ; décimales permises.",
        nature="nombre",
        alias=("tco2e", "tco2e evitees", "co2 evite"),
    ),
    Colonne(
        "hectares",
        "Hectares",
        "Hectares de foncier recyclés ou économisés ; décimales permises.",
        nature="nombre",
        alias=("hectares recycles ou economises", "foncier"),
    ),
    Colonne("partenaires", "Partenaires", "Texte libre."),
    Colonne(
        "public",
        "Public",
        "« oui » pour publier la fiche dans l’annuaire public ; vide : non.",
        nature="booleen",
        alias=("publie", "publication", "visible publiquement", "annuaire public"),
    ),
)
PAR_CLE = {colonne.cle: colonne for colonne in COLONNES}

# The financing lines: groups of four columns numbered from 1 (« Financeur 1 », « Dispositif 1 »…), as many groups
# as needed; the template offers three.
FINANCEMENT = (
    Colonne("financeur", "Financeur", "Organisme qui finance (obligatoire si un montant est donné)."),
    Colonne("dispositif", "Dispositif", "Programme ou aide mobilisé (facultatif)."),
    Colonne("montant", "Montant (€)", "Montant en euros (obligatoire si un financeur est donné).", nature="montant"),
    Colonne(
        "statut",
        "Statut du financement",
        "Vide : Sollicité.",
        nature="choix",
        choix=StatutFinancement,
        alias=("statut financement",),
    ),
)
GROUPES_DU_MODELE = 3
_ENTETE_FINANCEMENT = re.compile(
    r"(financeur|dispositif|montant|statut du financement|statut financement)(?: ([1-9]\d?))?"
)
_CLE_FINANCEMENT = {
    "financeur": "financeur",
    "dispositif": "dispositif",
    "montant": "montant",
    "statut du financement": "statut",
    "statut financement": "statut",
}


def entete_financement(colonne: Colonne, groupe: int) -> str:
    """« Montant (€) », 2 → « Montant 2 (€) »."""
    nom, parenthese, unite = colonne.entete.partition(" (")
    return f"{nom} {groupe}" + (f" ({unite}" if parenthese else "")


def cle_entete(texte: str) -> str:
    """Headers compare without case, accents, punctuation, star or unit: « Budget (€) » → « budget »."""
    return " ".join(cle_recherche(texte.replace("*", "")).split())


_RECONNUES = {cle_entete(nom): c for c in COLONNES for nom in (c.entete, c.cle, *c.alias)}


def reconnaitre(entete: str) -> tuple[Colonne, int | None] | None:
    """The column a header stands for, and its financing line number (None for a field of the fiche)."""
    cle = cle_entete(entete)
    if cle in _RECONNUES:
        return _RECONNUES[cle], None
    if correspondance := _ENTETE_FINANCEMENT.fullmatch(cle):
        colonne = next(c for c in FINANCEMENT if c.cle == _CLE_FINANCEMENT[correspondance.group(1)])
        return colonne, int(correspondance.group(2) or 1)
    return None


def lettre_de_colonne(rang: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet names it."""
    lettres = ""
    rang += 1
    while rang:
        rang, reste = divmod(rang - 1, 26)
        lettres = chr(ord("A") + reste) + lettres
    return lettres


def valeurs_possibles(choix: type[models.TextChoices]) -> str:
    return "valeurs possibles : " + ", ".join(choix.labels)
