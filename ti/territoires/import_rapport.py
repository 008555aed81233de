"""The report of a territories import (what was read, created, changed, skipped) and its refusal."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ti.core.formats import nombre

ERREURS_AFFICHEES = 100

Source = Path | str | BinaryIO


class ImportRefuse(Exception):
    """The file cannot be imported; `erreurs` says why, line by line. Nothing has been written."""

    def __init__(self, erreurs: list["Erreur"]):
        super().__init__(f"{len(erreurs)} erreur(s)")
        self.erreurs = erreurs


@dataclass(frozen=True)
class Erreur:
    message: str
    ligne: int | None = None
    fichier: str = ""

    def __str__(self):
        ou = ", ".join(filter(None, [self.fichier, f"ligne {self.ligne}" if self.ligne else ""]))
        return f"{ou} : {self.message}" if ou else self.message


@dataclass(frozen=True)
class CodeInconnu:
    ligne: int
    code: str
    lib_com: str


@dataclass(frozen=True)
class CodeRattache:
    ligne: int
    code: str
    lib_com: str
    chef_lieu: str
    chef_lieu_nom: str


@dataclass
class RapportImport:
    """What an import read, did and skipped. `erreurs` non-empty means it was refused and changed nothing."""

    phase: int
    fichier: str
    fichier_groupements: str = ""
    millesime: str = ""
    lignes: int = 0
    erreurs: list[Erreur] = field(default_factory=list)
    codes_inconnus: list[CodeInconnu] = field(default_factory=list)
    codes_rattaches: list[CodeRattache] = field(default_factory=list)
    doublons: int = 0
    crees: list[str] = field(default_factory=list)
    modifies: dict[str, list[str]] = field(default_factory=dict)
    inchanges: list[str] = field(default_factory=list)
    absents: list[str] = field(default_factory=list)
    reconnus: list[str] = field(default_factory=list)  # territories recognised by their perimeter (renamed)
    communes: int = 0
    liens_epci: int = 0
    duree: float = 0.0

    @property
    def accepte(self) -> bool:
        return not self.erreurs

    @property
    def territoires(self) -> int:
        return len(self.crees) + len(self.modifies) + len(self.inchanges)

    @property
    def change_rien(self) -> bool:
        return self.accepte and not self.crees and not self.modifies

    def lignes_texte(self) -> list[str]:
        titre = f"Import des territoires d’industrie, phase {self.phase} : {self.fichier}"
        if self.fichier_groupements:
            titre += f" (groupements : {self.fichier_groupements})"
        lignes = [titre]
        if not self.accepte:
            lignes.append(f"Import refusé, rien n’a été modifié. {nombre(len(self.erreurs))} erreur(s) :")
            lignes += [f"  {erreur}" for erreur in self.erreurs[:ERREURS_AFFICHEES]]
            if len(self.erreurs) > ERREURS_AFFICHEES:
                lignes.append(f"  … et {nombre(len(self.erreurs) - ERREURS_AFFICHEES)} autres erreurs.")
            return lignes
        origine_epci = "fichier des groupements" if self.fichier_groupements else "déduits du référentiel"
        lignes += [
            f"{nombre(self.lignes)} lignes lues, référentiel {self.millesime}.",
            f"{nombre(self.territoires)} territoires : {nombre(len(self.crees))} créés, "
            f"{nombre(len(self.modifies))} mis à jour, {nombre(len(self.inchanges))} inchangés.",
            f"{nombre(self.communes)} communes dans les périmètres, {nombre(self.liens_epci)} liens territoire–EPCI "
            f"({origine_epci}).",
        ]
        if self.doublons:
            lignes.append(
                f"{nombre(self.doublons)} lignes désignent une commune déjà présente dans le même territoire "
                "(commune déléguée ou associée et son chef-lieu) : comptées une fois."
            )
        lignes.append(f"{nombre(len(self.codes_inconnus))} codes inconnus du référentiel, ignorés :")
        lignes += [f"  ligne {c.ligne} : {c.code} {_entre_guillemets(c.lib_com)}" for c in self.codes_inconnus]
        lignes.append(f"{nombre(len(self.codes_rattaches))} codes rattachés à leur chef-lieu :")
        lignes += [
            f"  ligne {c.ligne} : {c.code} {_entre_guillemets(c.lib_com)} → {c.chef_lieu} {c.chef_lieu_nom}"
            for c in self.codes_rattaches
        ]
        lignes += self.reconnus
        for identifiant, changements in self.modifies.items():
            lignes.append(f"Mis à jour {identifiant} : {' ; '.join(changements)}")
        if self.absents:
            lignes.append(
                f"{nombre(len(self.absents))} territoires de la phase {self.phase} absents du fichier, conservés tels "
                f"quels : {', '.join(self.absents)}"
            )
        if self.change_rien:
            lignes.append("Aucun changement : la base était déjà à jour.")
        lignes.append(f"Durée : {self.duree:.1f} s.".replace(".", ",", 1))
        return lignes

    def __str__(self):
        return "\n".join(self.lignes_texte())


def _entre_guillemets(nom: str) -> str:
    return f"« {nom} »" if nom else "(sans nom dans le fichier)"
