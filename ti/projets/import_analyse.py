"""What the import of fiches-action finds in a file (`ti.projets.importer.analyser`): each row as the fiche-action
it will become, every error and warning with where it stands in the file."""

from dataclasses import dataclass, field
from decimal import Decimal

from ti.projets.models import Axe
from ti.referentiel.models import Commune
from ti.territoires.models import Territoire


@dataclass(frozen=True)
class Remarque:
    """An error or a warning: what, where (line of the file, column letter and header as written)."""

    message: str
    ligne: int | None = None
    colonne: str = ""
    lettre: str = ""
    rang: int = -1  # the column's position, to sort the report as the file reads

    @property
    def position(self) -> str:
        morceaux = []
        if self.ligne:
            morceaux.append(f"ligne {self.ligne}")
        if self.colonne:
            morceaux.append(
                f"colonne {self.lettre} « {self.colonne} »" if self.lettre else f"colonne « {self.colonne} »"
            )
        return ", ".join(morceaux)

    def __str__(self):
        return f"{phrase(self.position)} : {self.message}" if self.position else self.message


@dataclass
class LigneLue:
    """One row of the file, as the fiche-action it will become."""

    ligne: int
    valeurs: dict = field(default_factory=dict)  # field of Projet → value
    themes: list[str] = field(default_factory=list)  # Theme codes
    financements: list[dict] = field(default_factory=list)  # financeur, dispositif, montant, statut
    commune_lue: str = ""
    commune: Commune | None = None
    erreurs: int = 0

    @property
    def titre(self) -> str:
        return self.valeurs.get("titre", "")

    @property
    def axe(self) -> str:
        return Axe(self.valeurs["axe"]).label if self.valeurs.get("axe") else ""

    @property
    def budget(self) -> Decimal | None:
        return self.valeurs.get("budget")

    @property
    def total_financements(self) -> Decimal:
        return sum((ligne["montant"] for ligne in self.financements if ligne.get("montant") is not None), Decimal(0))


@dataclass
class Analyse:
    """What `analyser` found. `valide` means every row can be written; `ecrire` refuses anything else."""

    territoire: Territoire
    fichier: str
    format: str = ""
    lignes: list[LigneLue] = field(default_factory=list)
    erreurs: list[Remarque] = field(default_factory=list)
    avertissements: list[Remarque] = field(default_factory=list)
    libelles_themes: dict[str, str] = field(default_factory=dict)  # code → label, for the journal

    @property
    def valide(self) -> bool:
        return not self.erreurs and bool(self.lignes)

    @property
    def lignes_en_erreur(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.erreurs)

    @property
    def budget_total(self) -> Decimal:
        return sum((ligne.budget for ligne in self.lignes if ligne.budget is not None), Decimal(0))

    @property
    def financements_total(self) -> Decimal:
        return sum((ligne.total_financements for ligne in self.lignes), Decimal(0))


def phrase(texte: str) -> str:
    """The text with a capital first letter, as a sentence starts."""
    return texte[:1].upper() + texte[1:]
