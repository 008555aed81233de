"""The report of a Fonds vert import: what the file holds, what was normalised, what could not be placed, the
errors that refuse it. Printed by the command, kept as JSON for the preview and the result pages."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ti.core.formats import euros, nombre
from ti.financements import normalisation

EXEMPLES_MAX = 200  # per kind, in the JSON of the pages; the counts are always complete
EXEMPLES_COMMANDE = 20  # per kind, printed by the command unless --verbosity 2


@dataclass
class NonPlacee:
    ligne: int
    code_commune: str
    nom_commune: str
    motif: str


@dataclass
class Normalisation:
    ligne: int
    colonne: str
    avant: str
    apres: str
    genres: tuple[str, ...]


@dataclass
class Rapport:
    fichier: str
    annee: int
    lignes: int = 0
    dossiers: int = 0
    dossiers_groupes: int = 0
    placees: int = 0
    via_chef_lieu: int = 0
    en_territoire: int = 0
    dossiers_en_territoire: int = 0
    sans_siren: int = 0
    non_placees: list[NonPlacee] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    montant_total: Decimal = Decimal("0")
    montant_en_territoire: Decimal = Decimal("0")
    creees: int = 0
    mises_a_jour: int = 0
    erreurs: list[tuple[int | None, str]] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    territoires: list[dict] = field(default_factory=list)
    duree: float = 0.0

    @property
    def accepte(self) -> bool:
        return not self.erreurs

    def erreur(self, ligne: int | None, message: str) -> None:
        self.erreurs.append((ligne, message))

    def normalise(self, ligne: int, colonne: str, avant: str, apres: str, genres: tuple[str, ...]) -> None:
        self.normalisations.append(Normalisation(ligne, colonne, avant, apres, genres))

    def par_genre(self) -> dict[str, int]:
        """How many values each kind of normalisation changed (a value may have had two: `1283.0` → `01283`)."""
        compte = Counter(genre for n in self.normalisations for genre in n.genres)
        return {genre: compte[genre] for genre in normalisation.GENRES if compte[genre]}

    def resume(self) -> dict:
        """The report as JSON for the pages: complete counts, lists cut to EXEMPLES_MAX per kind."""
        return {
            "fichier": self.fichier,
            "annee": self.annee,
            "accepte": self.accepte,
            "erreurs": [{"ligne": ligne, "message": message} for ligne, message in self.erreurs[:EXEMPLES_MAX]],
            "nb_erreurs": len(self.erreurs),
            **{
                nom: getattr(self, nom)
                for nom in (
                    "lignes",
                    "dossiers",
                    "dossiers_groupes",
                    "placees",
                    "via_chef_lieu",
                    "en_territoire",
                    "dossiers_en_territoire",
                    "sans_siren",
                    "creees",
                    "mises_a_jour",
                )
            },
            "montant_total": str(self.montant_total),
            "montant_en_territoire": str(self.montant_en_territoire),
            "nb_non_placees": len(self.non_placees),
            "non_placees": [vars(p) for p in self.non_placees[:EXEMPLES_MAX]],
            "normalisations": [
                {
                    "genre": genre,
                    "libelle": normalisation.GENRES[genre],
                    "nombre": nombre,
                    "exemples": [
                        {"ligne": n.ligne, "colonne": n.colonne, "avant": n.avant, "apres": n.apres}
                        for n in self.normalisations
                        if genre in n.genres
                    ][:EXEMPLES_MAX],
                }
                for genre, nombre in self.par_genre().items()
            ],
            "regions": self.regions,
            "territoires": self.territoires,
        }

    def texte(self, *, tout: bool = True) -> str:
        """For the command: the errors when refused, else the counts, then the normalisations and the unplaced
        lines one by one (the first EXEMPLES_COMMANDE of each unless `tout`)."""
        if not self.accepte:
            return "\n".join(f"Ligne {ligne} : {message}" if ligne else message for ligne, message in self.erreurs)
        lignes = [
            f"Fonds vert {self.annee}, fichier « {self.fichier} » : {nombre(self.lignes)} lignes, "
            f"{nombre(self.dossiers)} dossiers ({nombre(self.creees)} créés, {nombre(self.mises_a_jour)} mis à jour), "
            f"dont {nombre(self.dossiers_groupes)} groupés (plusieurs lignes).",
            f"  lignes placées sur une commune : {nombre(self.placees)} (dont {nombre(self.via_chef_lieu)} par le "
            "chef-lieu d’une commune déléguée ou associée)",
            f"  lignes dans un territoire d’industrie : {nombre(self.en_territoire)} "
            f"({nombre(self.dossiers_en_territoire)} dossiers)",
            f"  lignes non placées (gardées sans commune ni territoire) : {nombre(len(self.non_placees))}",
            f"  montant engagé : {euros(self.montant_total)}, dont dans un territoire d’industrie : "
            f"{euros(self.montant_en_territoire)}",
        ]
        if self.sans_siren:
            lignes.append(f"  sans SIREN : {nombre(self.sans_siren)}")
        for genre, compte in self.par_genre().items():
            lignes.append(f"  normalisé, {normalisation.GENRES[genre]} : {nombre(compte)}")
            exemples = [n for n in self.normalisations if genre in n.genres]
            lignes += _coupe(
                [f"    ligne {n.ligne} : {n.colonne} « {n.avant} » → « {n.apres} »" for n in exemples], tout
            )
        lignes += _coupe(
            [
                f"  ligne {p.ligne} : commune « {p.code_commune} » ({p.nom_commune or 'sans nom'}) : {p.motif}"
                for p in self.non_placees
            ],
            tout,
        )
        lignes.append(f"Durée : {self.duree:.1f} s.")
        return "\n".join(lignes)

    def __str__(self) -> str:
        return self.texte()


def _coupe(lignes: list[str], tout: bool) -> list[str]:
    if tout or len(lignes) <= EXEMPLES_COMMANDE:
        return lignes
    reste = len(lignes) - EXEMPLES_COMMANDE
    return [*lignes[:EXEMPLES_COMMANDE], f"    … et {nombre(reste)} autres (--verbosity 2 pour toutes les voir)"]
