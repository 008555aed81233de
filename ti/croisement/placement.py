"""Placing one row of a file: reading the commune it names (a code as spreadsheets write it, or a name and a
département) and returning the values added to it, or why it cannot be placed.

Normalised when unambiguous, and said so in the row: a code written as a number (`1053.0`), a lost leading zero
(`1053` → `01053`), a Corsican code of before 1976 (`20004` → `2A004` when only one of 2A/2B has it), spaces, lower
case `2a`. A former code, a commune déléguée or associée, an arrondissement municipal lead to the commune actuelle.
"""

import re
from dataclasses import dataclass

from ti.core.tableaux_flux import texte_de_cellule
from ti.core.texte import cle_recherche
from ti.core.validateurs import chiffres_ascii

from .correspondances import COLONNES_COMMUNE, Correspondances

PLACEE = "placée"
CORRIGEE = "placée après correction"
NON_PLACEE = "non placée"
COLONNES_AJOUTEES = ("ti_code_commune", *COLONNES_COMMUNE, "ti_statut", "ti_remarque")
_VIDES = {"", "null", "none", "nan", "na", "n/a", "#n/a", "nc", "-", "?"}
_NOMBRE = re.compile(r"^(\d+)[.,]0+$", re.ASCII)  # 1053.0, 1053,0
_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.ASCII)
# 1, 01, 1.0, 2A, 971, « 01 - Ain »
_DEPARTEMENT = re.compile(r"^([0-9]{1,3}|2[AB])(?:[.,]0+)?(?:\s*[-–—:]\s*.*)?$")
_MEMOIRE_MAX = 200_000  # distinct values remembered per file: a file names at most 35 000 communes, often


@dataclass(frozen=True)
class Choix:
    """The column(s) the user chose, as indexes in the header: a code, or a name and a département."""

    code: int | None = None
    nom: int | None = None
    departement: int | None = None


class Placement:
    """Places rows against `Correspondances`; remembers the answer for each distinct value met (files repeat)."""

    def __init__(self, correspondances: Correspondances, choix: Choix, largeur: int, *, csv: bool):
        self.corr = correspondances
        self.choix = choix
        self.largeur = largeur
        # A CSV row longer than its header was cut by a separator inside an unquoted text: its columns are shifted.
        # A workbook's cells cannot shift; values right of the last title are notes, and the row is placed.
        self.controler_le_decalage = csv
        self.cog = f"COG {correspondances.millesime}" if correspondances.millesime else "référentiel"
        self._memoire: dict = {}
        self._vide = ("",) * len(COLONNES_COMMUNE)

    def valeurs_ajoutees(self, valeurs: list) -> tuple:
        """The added columns for one row, in the order of `COLONNES_AJOUTEES`."""
        if (
            self.controler_le_decalage
            and len(valeurs) > self.largeur
            and any(texte_de_cellule(v) for v in valeurs[self.largeur :])
        ):
            return self._non_placee(
                f"la ligne compte {len(valeurs)} valeurs pour {self.largeur} colonnes (séparateur dans un texte "
                "sans guillemets ?)"
            )
        if self.choix.code is not None:
            cle = self._cellule(valeurs, self.choix.code)
            calcul = self._par_code
        else:
            cle = (self._cellule(valeurs, self.choix.nom), self._cellule(valeurs, self.choix.departement))
            calcul = self._par_nom
        resultat = self._memoire.get(cle)
        if resultat is None:
            resultat = calcul(cle)
            if len(self._memoire) < _MEMOIRE_MAX:
                self._memoire[cle] = resultat
        return resultat

    @staticmethod
    def _cellule(valeurs: list, index: int) -> str:
        if index >= len(valeurs):
            return ""
        valeur = valeurs[index]
        return valeur if valeur.__class__ is str else texte_de_cellule(valeur)  # CSV cells skip a call

    def _par_code(self, brut: str) -> tuple:
        code, corrections = normaliser_code(brut)
        if code is None:
            return self._non_placee(corrections[0])
        if code.startswith("20") and code not in self.corr.valeurs and code not in self.corr.renvois:
            corses = [c for c in (f"2A{code[2:]}", f"2B{code[2:]}") if c in self.corr.valeurs]
            if len(corses) == 1:
                code = corses[0]
                corrections += ["code corse d’avant 1976"]
        return self._placer(code, brut, corrections)

    def _par_nom(self, cle: tuple[str, str]) -> tuple:
        nom, departement = (texte.strip() for texte in cle)
        if nom.lower() in _VIDES:
            return self._non_placee("nom de commune vide")
        code_dep = self.departement(departement)
        if code_dep is None:
            quoi = "vide" if departement.lower() in _VIDES else f"« {departement} » inconnu"
            return self._non_placee(f"département {quoi}")
        codes = self.corr.par_nom.get((code_dep, cle_recherche(nom)))
        if not codes:
            return self._non_placee(f"aucune commune « {nom} » dans le département {code_dep} ({self.cog})")
        if len(codes) > 1:
            return self._non_placee(f"plusieurs communes « {nom} » dans le département {code_dep} : {', '.join(codes)}")
        return self._placer(codes[0], nom, [])

    def departement(self, brut: str) -> str | None:
        texte = brut.strip().upper()
        trouve = _DEPARTEMENT.match(texte)
        if trouve:
            code = trouve.group(1).zfill(2)
            return code if code in self.corr.departements else None
        return self.corr.departements.get(cle_recherche(brut)) if brut else None

    def _placer(self, code: str, brut: str, corrections: list[str]) -> tuple:
        remarques = []
        if corrections:
            remarques.append(f"« {brut} » lu {code} ({', '.join(corrections)})")
        renvoi = self.corr.renvois.get(code)
        if renvoi:
            remarques.append(renvoi.motif)
            code = renvoi.code_actuel
        valeurs = self.corr.valeurs.get(code)
        if valeurs is None:
            return self._non_placee("; ".join([*remarques, f"code {code} inconnu du {self.cog}"]))
        statut = CORRIGEE if remarques else PLACEE
        return (code, *valeurs, statut, "; ".join(remarques))

    def _non_placee(self, motif: str) -> tuple:
        return ("", *self._vide, NON_PLACEE, motif)


def normaliser_code(brut: str) -> tuple[str | None, list[str]]:
    """(code, corrections made) when `brut` is a commune code once the unambiguous is fixed; (None, [why]) if not."""
    texte = brut.strip().strip("\"'").replace(" ", "").replace("\u00a0", "").upper()
    if texte.lower() in _VIDES:
        return None, ["code commune vide"]
    corrections = []
    if nombre := _NOMBRE.match(texte):
        texte = nombre.group(1)
        corrections.append("écrit comme un nombre décimal")
    if chiffres_ascii(texte) and len(texte) == 4:
        texte = "0" + texte
        corrections.append("zéro initial rétabli")
    if texte != brut.strip() and not corrections:
        corrections.append("espaces ou casse")
    if not _CODE.match(texte):
        return None, [f"« {brut.strip()} » n’est pas un code commune (5 caractères, 2A ou 2B pour la Corse)"]
    return texte, corrections
