"""The columns of the fiches-action import and how each cell is read.

`COLONNES` declares them once: the importer (`ti.projets.importer`), the template and its help sheet
(`ti.projets.import_modele`) all come from there. Each `lire_*` function turns the text of a cell into a value of
the fiche, or raises `Invalide` with a French sentence saying why it cannot.
"""

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from ti.core.champs import plafond
from ti.core.formats import nombre
from ti.core.texte import cle_recherche
from ti.core.validateurs import valider_siret
from ti.projets.models import (
    Axe,
    LigneFinancement,
    PhaseProjet,
    Projet,
    StatutFinancement,
    StatutPhase,
    Theme,
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


class Invalide(Exception):
    """A value that cannot be read; the message says why, in French."""


def lire_valeur(colonne: Colonne, texte: str, themes: dict[str, Theme]):
    """The typed value of a cell, or None when it is empty; `Invalide` with a French message when it cannot be.

    `themes` maps the search keys of the themes' codes and labels to the themes (`cles_des_themes`)."""
    if colonne.nature == "themes":
        return lire_themes(texte, themes) if texte else []
    if colonne.nature == "commune":
        return texte
    if colonne.nature == "booleen":
        return lire_booleen(texte)
    if not texte:
        return "" if colonne.nature in ("texte", "siret", "courriel") else None
    if colonne.nature == "texte":
        return lire_texte(texte, colonne)
    if colonne.nature == "siret":
        return lire_siret(texte)
    if colonne.nature == "courriel":
        return lire_courriel(texte)
    if colonne.nature == "choix":
        return lire_choix(texte, colonne)
    if colonne.nature == "date":
        return lire_date(texte)
    if colonne.nature == "entier":
        return lire_entier(texte, plafond=plafond(Projet._meta.get_field(colonne.cle)))
    if colonne.nature in ("montant", "nombre"):
        champ = (LigneFinancement if colonne.cle == "montant" else Projet)._meta.get_field(colonne.cle)
        return lire_montant(texte, plafond=plafond(champ), montant=colonne.nature == "montant")
    raise AssertionError(colonne.nature)


def lire_texte(texte: str, colonne: Colonne) -> str:
    modele = LigneFinancement if colonne.cle in ("financeur", "dispositif") else Projet
    longueur = modele._meta.get_field(colonne.cle).max_length
    if longueur and len(texte) > longueur:
        raise Invalide(f"Texte trop long : {len(texte)} caractères pour {longueur} au plus.")
    return texte


def lire_siret(texte: str) -> str:
    try:
        return valider_siret(texte)
    except ValidationError as e:
        raise Invalide(f"SIRET « {texte} » invalide : {_minuscule(e.messages[0])}") from e


def lire_courriel(texte: str) -> str:
    try:
        validate_email(texte)
    except ValidationError as e:
        raise Invalide(f"Courriel « {texte} » invalide.") from e
    return lire_texte(texte, PAR_CLE["referent_email"])


def lire_choix(texte: str, colonne: Colonne) -> str:
    """Matched on the code or the label, without case or accents: « Innover », « innover », « INNOVER »."""
    valeur = _cles_des_choix(colonne.choix).get(cle_recherche(texte))
    if valeur is not None:
        return valeur
    raise Invalide(f"{_INCONNU[colonne.choix]} : « {texte} » ; {valeurs_possibles(colonne.choix)}.")


@functools.cache
def _cles_des_choix(choix: type[models.TextChoices]) -> dict[str, str]:
    return {cle_recherche(nom): valeur for valeur, libelle in choix.choices for nom in (valeur, libelle)}


_INCONNU = {
    Axe: "Axe inconnu",
    PhaseProjet: "Phase inconnue",
    StatutPhase: "Statut de phase inconnu",
    TypePorteur: "Type de porteur inconnu",
    StatutFinancement: "Statut de financement inconnu",
}


def cles_des_themes(themes) -> dict[str, Theme]:
    """Each theme under the search keys of its code and of its label, in the themes' order."""
    return {cle_recherche(nom): theme for theme in themes for nom in (theme.code, theme.libelle)}


def lire_themes(texte: str, themes: dict[str, Theme]) -> list[str]:
    codes, inconnus = [], []
    for morceau in re.split(r"[;\n|]", texte):
        morceau = morceau.strip()
        if not morceau:
            continue
        theme = themes.get(cle_recherche(morceau))
        if theme is None:
            inconnus.append(morceau)
        elif theme.code not in codes:
            codes.append(theme.code)
    if inconnus:
        liste = ", ".join(f"« {m} »" for m in inconnus)
        raise Invalide(
            f"{'Thème inconnu' if len(inconnus) == 1 else 'Thèmes inconnus'} : {liste}. Thèmes possibles, séparés par "
            f"« {SEPARATEUR_THEMES} » : {', '.join(dict.fromkeys(t.libelle for t in themes.values()))}."
        )
    return codes


_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def lire_date(texte: str) -> date:
    """JJ/MM/AAAA or AAAA-MM-JJ (what an XLSX date cell becomes)."""
    if correspondance := _DATE_FR.fullmatch(texte):
        jour, mois, annee = (int(g) for g in correspondance.groups())
    elif correspondance := _DATE_ISO.fullmatch(texte):
        annee, mois, jour = (int(g) for g in correspondance.groups())
    else:
        raise Invalide(f"Date « {texte} » illisible : écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ.")
    try:
        return date(annee, mois, jour)
    except ValueError as e:
        raise Invalide(f"Date « {texte} » impossible : ce jour n’existe pas.") from e


_NOMBRE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?", re.IGNORECASE)
_MILLIERS_VIRGULE = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_MILLIERS_POINT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")


def lire_nombre(texte: str) -> Decimal:
    """French and international writings: « 1 250 000,50 », « 1250000.5 », « 1.250.000,50 », « 1,250,000.50 », with
    or without « € » or « EUR ». Raises ValueError when it is not a number."""
    brut = re.sub(r"(?i)\s*(€|eur|euros?)\s*$", "", texte.strip())
    brut = re.sub(r"[\s\u00a0\u202f']", "", brut).replace("−", "-")
    if "," in brut and "." in brut:
        if brut.rfind(",") > brut.rfind("."):  # 1.250.000,50
            brut = brut.replace(".", "").replace(",", ".")
        elif _MILLIERS_VIRGULE.fullmatch(brut):  # 1,250,000.50
            brut = brut.replace(",", "")
        else:
            raise ValueError(texte)
    elif "," in brut:
        if brut.count(",") == 1:
            brut = brut.replace(",", ".")
        elif _MILLIERS_VIRGULE.fullmatch(brut):
            brut = brut.replace(",", "")
        else:
            raise ValueError(texte)
    elif brut.count(".") > 1:
        if not _MILLIERS_POINT.fullmatch(brut):
            raise ValueError(texte)
        brut = brut.replace(".", "")
    if not _NOMBRE.fullmatch(brut):
        raise ValueError(texte)
    try:
        return Decimal(brut)
    except InvalidOperation as e:
        raise ValueError(texte) from e


def lire_montant(texte: str, *, plafond: Decimal, montant: bool = True) -> Decimal:
    try:
        valeur = lire_nombre(texte)
    except ValueError as e:
        if montant:
            raise Invalide(f"« {texte} » n’est pas un montant : écrivez par exemple 1 250 000,50.") from e
        raise Invalide(f"« {texte} » n’est pas un nombre : écrivez par exemple 12,5.") from e
    if valeur < 0:
        quoi = "Montant négatif" if montant else "Nombre négatif"
        raise Invalide(f"{quoi} ({texte}) : il doit être positif ou nul.")
    valeur = valeur.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if valeur > plafond:
        raise Invalide(f"« {texte} » est trop grand : au plus {nombre(plafond)} attendu.")
    return valeur


def lire_entier(texte: str, *, plafond: int) -> int:
    try:
        valeur = lire_nombre(texte)
    except ValueError as e:
        raise Invalide(f"« {texte} » n’est pas un nombre entier.") from e
    if valeur != valeur.to_integral_value():
        raise Invalide(f"« {texte} » n’est pas un nombre entier.")
    if valeur < 0:
        raise Invalide(f"Nombre négatif ({texte}) : il doit être positif ou nul.")
    if valeur > plafond:
        raise Invalide(f"« {texte} » est trop grand : au plus {nombre(plafond)} attendu.")
    return int(valeur)


_OUI = {"oui", "o", "vrai", "x", "1", "yes", "y", "true", "public", "publie", "publiee"}
_NON = {"", "non", "n", "faux", "0", "no", "false", "prive", "privee"}


def lire_booleen(texte: str) -> bool:
    cle = cle_recherche(texte)
    if cle in _OUI:
        return True
    if cle in _NON:
        return False
    raise Invalide(f"« {texte} » : répondez « oui » ou « non ».")


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


def _minuscule(texte: str) -> str:
    return texte[:1].lower() + texte[1:]
