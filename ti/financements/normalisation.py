"""What spreadsheets do to the numbers of a national file, undone when the value is unambiguous.

A file that went through a spreadsheet comes back with identifiers read as numbers (`200071892.0`, `2.00071892E8`,
Oyonnax's 01283 as `1283`) and amounts written with the binary artefacts of floating point (`12345.670000000002`).
Each function returns the value as a person reads it and the kinds of normalisation it applied (empty when none),
or raises `Ambigu` with a French message when the written value may have lost digits: the importer then refuses it
rather than guess. See docs/decisions/0035-liste-fonds-vert-reelle.md.
"""

import re
from decimal import Decimal, InvalidOperation

from ti.core.validateurs import chiffres_ascii

DECIMALE_NULLE = "decimale_nulle"
NOTATION_SCIENTIFIQUE = "notation_scientifique"
ZERO_INITIAL = "zero_initial"
ARTEFACT_BINAIRE = "artefact_binaire"
GENRES = {
    DECIMALE_NULLE: "décimale nulle retirée (« 200071892.0 » → « 200071892 »)",
    NOTATION_SCIENTIFIQUE: "notation scientifique développée (« 2.00071892E8 » → « 200071892 »)",
    ZERO_INITIAL: "zéro initial rétabli (« 1283 » → « 01283 »)",
    ARTEFACT_BINAIRE: "artefact de virgule flottante arrondi au centime (« 12345.670000000002 » → « 12345.67 »)",
}

_DECIMALE_NULLE = re.compile(r"^(\d+)[.,]0+$", re.ASCII)
_SCIENTIFIQUE = re.compile(r"^(\d+)(?:[.,](\d*))?[eE]\+?(\d+)$", re.ASCII)
# A float written in full by a program has 15 to 17 significant digits; a person never types that many.
CHIFFRES_D_UN_FLOTTANT = 15


class Ambigu(ValueError):
    """The written value may have lost digits; `message` says so in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def identifiant(texte: str, *, largeur: int | None = None) -> tuple[str, tuple[str, ...]]:
    """A code or number made of digits (INSEE, SIREN, département, dossier), as written before a spreadsheet.

    `largeur`: the fixed width of the code; one leading zero is put back when exactly one is missing (the codes of
    these files have at most one: départements 01 to 09). Text that is not a number comes back unchanged, for the
    caller's own checks."""
    valeur, genres = texte, []
    if correspondance := _DECIMALE_NULLE.match(valeur):
        valeur = correspondance[1]
        genres.append(DECIMALE_NULLE)
    elif correspondance := _SCIENTIFIQUE.match(valeur):
        valeur = _developper(texte, *correspondance.groups(), decimales_admises=0)
        genres.append(NOTATION_SCIENTIFIQUE)
    if largeur is not None and chiffres_ascii(valeur) and len(valeur) == largeur - 1:
        valeur = "0" + valeur
        genres.append(ZERO_INITIAL)
    return valeur, tuple(genres)


def montant(texte: str) -> tuple[Decimal, tuple[str, ...]]:
    """An amount in euros with cents. « 412500.5 », « 412 500,50 » are read as written; `Ambigu` when it cannot be
    read as an amount (the message says why)."""
    propre = texte.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
    if "," in propre and "." not in propre:
        propre = propre.replace(",", ".")
    if not propre:
        raise Ambigu("montant_engage manquant.")
    genres = []
    if correspondance := _SCIENTIFIQUE.match(propre):
        propre = _developper(texte, *correspondance.groups(), decimales_admises=2)
        genres.append(NOTATION_SCIENTIFIQUE)
    try:
        valeur = Decimal(propre)
    except InvalidOperation:
        raise Ambigu(f"montant_engage « {texte} » n’est pas un nombre.") from None
    if not valeur.is_finite():
        raise Ambigu(f"montant_engage « {texte} » n’est pas un nombre.")
    if valeur < 0:
        raise Ambigu(f"montant_engage « {texte} » est négatif.")
    centimes = valeur.quantize(Decimal("0.01"))
    if valeur != centimes:
        if not _artefact_binaire(propre, valeur, centimes):
            raise Ambigu(f"montant_engage « {texte} » a plus de deux décimales.")
        genres.append(ARTEFACT_BINAIRE)
    return centimes, tuple(genres)


def _artefact_binaire(ecrit: str, valeur: Decimal, centimes: Decimal) -> bool:
    """`12345.670000000002` is 12345.67 written by a program from a float: as many digits as a float holds, and
    a difference from the cents that only floating point explains. `10.005` is not: a person wrote three decimals."""
    chiffres = len(ecrit.replace(".", "").lstrip("0"))
    return chiffres >= CHIFFRES_D_UN_FLOTTANT and abs(valeur - centimes) <= (abs(centimes) + 1) * Decimal("1e-12")


def _developper(texte: str, entier: str, decimales: str | None, exposant: str, *, decimales_admises: int) -> str:
    """`2.00071892E8` → `200071892`. Refused when digits had to be invented: `2.00072E+08` is what a spreadsheet
    shows of 200 071 892 in a narrow column (and writes in its CSV), and nobody can tell the lost digits."""
    decimales, exposant = decimales or "", int(exposant)
    if len(decimales) < exposant:
        raise Ambigu(
            f"« {texte} » est écrit en notation scientifique et a perdu des chiffres : exportez la colonne au format "
            "texte (ou nombre sans notation scientifique)."
        )
    chiffres = entier + decimales
    unites, reste = chiffres[: len(entier) + exposant], decimales[exposant:]
    if len(reste.rstrip("0")) > decimales_admises:
        raise Ambigu(f"« {texte} » n’est pas un nombre entier.")
    return unites.lstrip("0").rjust(1, "0") + (f".{reste}" if reste.rstrip("0") else "")
