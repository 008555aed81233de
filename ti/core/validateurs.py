"""Validation of French identifiers: SIREN and SIRET carry a Luhn key."""

from django.core.exceptions import ValidationError


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
    valeur = (valeur or "").replace(" ", "")
    if len(valeur) != longueur or not valeur.isdigit():
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
