"""Validation of French identifiers: SIREN and SIRET carry a Luhn key. Codes are written with ASCII digits only."""

import re

from django.core.exceptions import ValidationError

# Spaces a copy from a web page or a spreadsheet puts between the groups of digits (ordinary, no-break, narrow).
_ESPACES = re.compile(r"[ \u00a0\u202f]")


def chiffres_ascii(texte: str) -> bool:
    """Only the digits 0 to 9. `str.isdigit()` also accepts « ² », Arabic-Indic « ٣ » or full-width « ３ »."""
    return texte.isascii() and texte.isdigit()


def cle_luhn_valide(chiffres: str) -> bool:
    total = 0
    for rang, caractere in enumerate(reversed(chiffres)):
        chiffre = int(caractere)
        if rang % 2 == 1:
            chiffre *= 2
            if chiffre > 9:
                chiffre -= 9
        total += chiffre
    return total % 10 == 0


def _valider(valeur: str, longueur: int, libelle: str) -> str:
    valeur = _ESPACES.sub("", valeur or "")
    autres_chiffres = sorted({c for c in valeur if c.isdigit() and not chiffres_ascii(c)})
    if autres_chiffres:
        raise ValidationError(
            f"Le {libelle} s’écrit avec les chiffres de 0 à 9 : « {' '.join(autres_chiffres)} » n’en est pas un.",
            code="format",
        )
    if len(valeur) != longueur or not chiffres_ascii(valeur):
        raise ValidationError(f"Le {libelle} doit compter {longueur} chiffres.", code="format")
    # La Poste's establishments (SIREN 356000000) may carry a digit-sum key instead of the Luhn key.
    la_poste = libelle == "SIRET" and valeur.startswith("356000000") and sum(map(int, valeur)) % 5 == 0
    if not (cle_luhn_valide(valeur) or la_poste):
        raise ValidationError(f"La clé de contrôle de ce {libelle} est fausse.", code="cle")
    return valeur


def valider_siren(valeur: str) -> str:
    return _valider(valeur, 9, "SIREN")


def valider_siret(valeur: str) -> str:
    return _valider(valeur, 14, "SIRET")
