"""How each cell of the fiches-action import is read (`ti.projets.import_colonnes` declares the columns): each
`lire_*` function turns the text of a cell into a value of the fiche, or raises `Invalide` with a French sentence
saying why it cannot."""

import functools
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from ti.core.champs import plafond
from ti.core.formats import nombre
from ti.core.texte import cle_recherche
from ti.core.validateurs import valider_siret
from ti.projets.import_colonnes import PAR_CLE, SEPARATEUR_THEMES, Colonne, valeurs_possibles
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


def _minuscule(texte: str) -> str:
    return texte[:1].lower() + texte[1:]
