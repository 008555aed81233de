"""Import of the national open-data list of Fonds vert awards (docs/decisions/0016-attributions-fonds-vert.md).

One row per awarded dossier. Each award is placed: its commune through the référentiel (a commune déléguée or
associée resolves to its chef-lieu), its région (the commune's, or the département's when the commune is unknown),
and the territoires d'industrie of its commune, of both phases. A row whose commune code is unknown is still stored,
without commune nor territory, and reported line by line: it is a real award and counts in the totals.

All or nothing: a malformed file or a single invalid row (amount, dossier number, SIREN) refuses the whole file, with
one French message per line, and nothing is written. Keyed on (numero_demarche, numero_dossier): a re-import updates.
Every lookup is done once for the whole file, every write in bulk: the query count does not grow with the rows.
"""

import hashlib
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from ti.core.champs import MONTANT_MAX
from ti.core.models import Journal
from ti.core.tableaux import AUCUNE_DONNEE, TableauIllisible, lire_tableau
from ti.core.validateurs import valider_siren
from ti.financements.models import AttributionFondsVert
from ti.referentiel.models import Commune, Departement
from ti.referentiel.selectors import resoudre_communes
from ti.territoires.models import CommuneTerritoire

COLONNES = (
    "nom_region",
    "code_departement",
    "nom_departement",
    "code_commune",
    "nom_commune",
    "axe",
    "numero_demarche_ds",
    "nom_demarche_ds",
    "numero_dossier_ds",
    "nom_du_projet",
    "nom_beneficiaire_principal",
    "siren",
    "montant_engage",
)
# Column of the file → field of the model, with the field's maximum length (None: a TextField).
CHAMPS = {
    "nom_region": ("nom_region", 100),
    "code_departement": ("code_departement", 3),
    "code_commune": ("code_commune", 5),
    "nom_commune": ("nom_commune", 150),
    "axe": ("axe", 100),
    "numero_demarche_ds": ("numero_demarche", 20),
    "nom_demarche_ds": ("nom_demarche", 255),
    "numero_dossier_ds": ("numero_dossier", 20),
    "nom_du_projet": ("nom_projet", None),
    "nom_beneficiaire_principal": ("beneficiaire", 255),
}
CHAMPS_MIS_A_JOUR = [
    "annee",
    *(nom for nom, _ in CHAMPS.values() if nom not in ("numero_demarche", "numero_dossier")),
    "siren",
    "montant_engage",
    "commune",
    "region",
]
ANNEE_DANS_LE_NOM = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
ACTION_JOURNAL = "import_fonds_vert"
PAQUET = 5000  # SQLite bounds the parameters of one query


class ImportRefuse(Exception):
    """The year cannot be known; the command turns it into a CommandError."""


@dataclass
class NonPlacee:
    ligne: int
    code_commune: str
    nom_commune: str


@dataclass
class Rapport:
    fichier: str
    annee: int
    lignes: int = 0
    placees: int = 0
    via_chef_lieu: int = 0
    en_territoire: int = 0
    sans_siren: int = 0
    non_placees: list[NonPlacee] = field(default_factory=list)
    montant_total: Decimal = Decimal("0")
    montant_en_territoire: Decimal = Decimal("0")
    creees: int = 0
    mises_a_jour: int = 0
    erreurs: list[tuple[int | None, str]] = field(default_factory=list)
    duree: float = 0.0

    @property
    def accepte(self) -> bool:
        return not self.erreurs

    def erreur(self, ligne: int | None, message: str) -> None:
        self.erreurs.append((ligne, message))

    def __str__(self) -> str:
        if not self.accepte:
            return "\n".join(f"Ligne {ligne} : {message}" if ligne else message for ligne, message in self.erreurs)
        lignes = [
            f"Fonds vert {self.annee}, fichier « {self.fichier} » : {_n(self.lignes)} attributions "
            f"({_n(self.creees)} créées, {_n(self.mises_a_jour)} mises à jour).",
            f"  placées sur une commune : {_n(self.placees)} (dont {_n(self.via_chef_lieu)} par le chef-lieu "
            "d’une commune déléguée ou associée)",
            f"  dans un territoire d’industrie : {_n(self.en_territoire)}",
            f"  non placées (commune inconnue, gardées sans commune ni territoire) : {_n(len(self.non_placees))}",
            f"  montant engagé : {_euros(self.montant_total)}, dont dans un territoire d’industrie : "
            f"{_euros(self.montant_en_territoire)}",
        ]
        if self.sans_siren:
            lignes.append(f"  sans SIREN : {_n(self.sans_siren)}")
        lignes += [
            f"  ligne {p.ligne} : commune « {p.code_commune} » ({p.nom_commune or 'sans nom'}) inconnue du référentiel"
            for p in self.non_placees
        ]
        lignes.append(f"Durée : {self.duree:.1f} s.")
        return "\n".join(lignes)


def annee_du_fichier(nom: str) -> int | None:
    """The year written in the file's name (« fonds-vert-2024.csv »), if there is exactly one."""
    annees = set(ANNEE_DANS_LE_NOM.findall(Path(nom).name))
    return int(annees.pop()) if len(annees) == 1 else None


def importer_fonds_vert(fichier: str | Path, *, annee: int | None = None) -> Rapport:
    """Read, check, place and write one yearly file. Raises ImportRefuse when the year is unknown."""
    debut = time.perf_counter()
    chemin = Path(fichier)
    annee = annee or annee_du_fichier(chemin.name)
    if annee is None:
        raise ImportRefuse(
            f"Année inconnue : le nom « {chemin.name} » ne contient pas d’année (AAAA) ; précisez-la avec --annee."
        )
    if not 2000 <= annee <= 2100:
        raise ImportRefuse(f"Année invalide : {annee}.")
    rapport = Rapport(fichier=chemin.name, annee=annee)
    try:
        contenu = chemin.read_bytes()
    except OSError as e:
        rapport.erreur(None, f"Fichier illisible : {e.strerror or e}.")
        return rapport
    attributions = _lire(contenu, rapport)
    if rapport.accepte:
        _placer(attributions, rapport)
        _enregistrer(attributions, rapport, empreinte=hashlib.sha256(contenu).hexdigest())
    rapport.duree = time.perf_counter() - debut
    return rapport


# Reading and checking: every row is checked, every error reported, before anything is written.


@dataclass
class _Ligne:
    numero: int
    objet: AttributionFondsVert
    territoires: set = field(default_factory=set)


def _lire(contenu: bytes, rapport: Rapport) -> list[_Ligne]:
    try:
        tableau = lire_tableau(contenu)
    except TableauIllisible as e:
        rapport.erreur(e.ligne, e.message[0].upper() + e.message[1:])
        return []
    manquantes = [c for c in COLONNES if c not in tableau.entete]
    if manquantes:
        rapport.erreur(
            1,
            f"colonne(s) manquante(s) : {', '.join(manquantes)}. Colonnes attendues : {', '.join(COLONNES)}.",
        )
        return []
    if not tableau.lignes:
        rapport.erreur(None, AUCUNE_DONNEE[0].upper() + AUCUNE_DONNEE[1:])
        return []
    index = {nom: tableau.entete.index(nom) for nom in COLONNES}
    vues: dict[tuple[str, str], int] = {}
    lignes = []
    for numero, valeurs in tableau.lignes:
        if len(valeurs) > len(tableau.entete) and any(valeurs[len(tableau.entete) :]):
            rapport.erreur(numero, "plus de valeurs que de colonnes (un séparateur dans un texte sans guillemets ?).")
            continue
        ligne = _lire_ligne(numero, {nom: valeurs[i] for nom, i in index.items()}, rapport)
        if ligne is None:
            continue
        cle = (ligne.objet.numero_demarche, ligne.objet.numero_dossier)
        if cle in vues:
            rapport.erreur(numero, f"le dossier {cle[1]} de la démarche {cle[0]} figure déjà ligne {vues[cle]}.")
            continue
        vues[cle] = numero
        lignes.append(ligne)
    rapport.lignes = len(tableau.lignes)
    return lignes


def _lire_ligne(numero: int, valeurs: dict[str, str], rapport: Rapport) -> _Ligne | None:
    erreurs_avant = len(rapport.erreurs)
    # A spreadsheet that read the codes as numbers dropped their leading zero (Ain: 01283 → 1283).
    for colonne, largeur in (("code_commune", 5), ("code_departement", 2)):
        if valeurs[colonne].isdigit() and len(valeurs[colonne]) == largeur - 1:
            valeurs[colonne] = valeurs[colonne].zfill(largeur)
    donnees = {}
    for colonne, (nom, longueur) in CHAMPS.items():
        valeur = valeurs[colonne]
        if longueur is not None and len(valeur) > longueur:
            rapport.erreur(numero, f"{colonne} dépasse {longueur} caractères.")
        donnees[nom] = valeur
    for colonne in ("numero_demarche_ds", "numero_dossier_ds"):
        if not valeurs[colonne]:
            rapport.erreur(numero, f"{colonne} manquant : c’est lui qui identifie l’attribution.")
    montant = _montant(valeurs["montant_engage"])
    if isinstance(montant, str):
        rapport.erreur(numero, montant)
    siren = valeurs["siren"].replace(" ", "")
    if siren:
        try:
            valider_siren(siren)
        except ValidationError as e:
            rapport.erreur(numero, f"SIREN « {valeurs['siren']} » : {e.messages[0]}")
    else:
        rapport.sans_siren += 1
    if len(rapport.erreurs) > erreurs_avant:
        return None
    objet = AttributionFondsVert(annee=rapport.annee, siren=siren, montant_engage=montant, **donnees)
    return _Ligne(numero, objet)


def _montant(texte: str) -> Decimal | str:
    """The amount, or the French message saying why it is not one. « 412500.5 », « 412 500,50 » are read."""
    propre = texte.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
    if "," in propre and "." not in propre:
        propre = propre.replace(",", ".")
    if not propre:
        return "montant_engage manquant."
    try:
        montant = Decimal(propre)
    except InvalidOperation:
        return f"montant_engage « {texte} » n’est pas un nombre."
    if not montant.is_finite():
        return f"montant_engage « {texte} » n’est pas un nombre."
    if montant < 0:
        return f"montant_engage « {texte} » est négatif."
    if montant != montant.quantize(Decimal("0.01")):
        return f"montant_engage « {texte} » a plus de deux décimales."
    if montant > MONTANT_MAX:
        return f"montant_engage « {texte} » est trop grand."
    return montant.quantize(Decimal("0.01"))


# Placing: three lookups for the whole file (communes, départements, perimeters), whatever its size.


def _placer(lignes: list[_Ligne], rapport: Rapport) -> None:
    resolutions = resoudre_communes({ligne.objet.code_commune for ligne in lignes if ligne.objet.code_commune})
    departements = dict(
        Departement.objects.filter(code__in={ligne.objet.code_departement for ligne in lignes}).values_list(
            "code", "region_id"
        )
    )
    codes_resolus = {r.commune.code for r in resolutions.values() if r.commune}
    territoires: dict[str, set[int]] = {}
    appartenances = CommuneTerritoire.objects.filter(
        commune__in=Commune.objects.filter(code__dans_liste=codes_resolus)
    ).values_list("commune_id", "territoire_id")
    for commune_id, territoire_id in appartenances:
        territoires.setdefault(commune_id, set()).add(territoire_id)
    for ligne in lignes:
        objet = ligne.objet
        resolution = resolutions.get(objet.code_commune)
        rapport.montant_total += objet.montant_engage
        if resolution is None or resolution.commune is None:
            objet.commune, objet.region_id = None, departements.get(objet.code_departement)
            rapport.non_placees.append(NonPlacee(ligne.numero, objet.code_commune, objet.nom_commune))
            continue
        objet.commune, objet.region_id = resolution.commune, resolution.commune.region_id
        rapport.placees += 1
        rapport.via_chef_lieu += resolution.via_chef_lieu
        ligne.territoires = territoires.get(resolution.commune.code, set())
        if ligne.territoires:
            rapport.en_territoire += 1
            rapport.montant_en_territoire += objet.montant_engage


# Writing: one upsert, then the territory links of the rows of the file replaced.


@transaction.atomic
def _enregistrer(lignes: list[_Ligne], rapport: Rapport, *, empreinte: str) -> None:
    demarches = {ligne.objet.numero_demarche for ligne in lignes}
    existantes = set(_cles(demarches))
    AttributionFondsVert.objects.bulk_create(
        [ligne.objet for ligne in lignes],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["numero_demarche", "numero_dossier"],
        update_fields=CHAMPS_MIS_A_JOUR,
    )
    cles = _cles(demarches)  # the primary keys, whatever the backend returned
    ids = [cles[(ligne.objet.numero_demarche, ligne.objet.numero_dossier)] for ligne in lignes]
    rapport.mises_a_jour = sum(
        1 for ligne in lignes if (ligne.objet.numero_demarche, ligne.objet.numero_dossier) in existantes
    )
    rapport.creees = len(lignes) - rapport.mises_a_jour
    Lien = AttributionFondsVert.territoires.through
    for debut in range(0, len(ids), PAQUET):
        Lien.objects.filter(attributionfondsvert_id__in=ids[debut : debut + PAQUET]).delete()
    Lien.objects.bulk_create(
        [
            Lien(attributionfondsvert_id=pk, territoire_id=territoire_id)
            for pk, ligne in zip(ids, lignes, strict=True)
            for territoire_id in sorted(ligne.territoires)
        ],
        batch_size=PAQUET,
    )
    # The provenance of the figures, read by the dashboards: one journal row per import, the year as its object.
    Journal.objects.create(
        action=ACTION_JOURNAL,
        objet_type=ContentType.objects.get_for_model(AttributionFondsVert),
        objet_id=str(rapport.annee),
        objet_libelle=f"Attributions du Fonds vert {rapport.annee}",
        details={
            "fichier": rapport.fichier,
            "empreinte": empreinte,
            "annee": rapport.annee,
            "lignes": rapport.lignes,
            "creees": rapport.creees,
            "mises_a_jour": rapport.mises_a_jour,
            "placees": rapport.placees,
            "en_territoire": rapport.en_territoire,
            "non_placees": len(rapport.non_placees),
            "montant_total": str(rapport.montant_total),
            "montant_en_territoire": str(rapport.montant_en_territoire),
        },
    )


def _cles(demarches: set[str]) -> dict[tuple[str, str], int]:
    return {
        (demarche, dossier): pk
        for demarche, dossier, pk in AttributionFondsVert.objects.filter(numero_demarche__in=demarches).values_list(
            "numero_demarche", "numero_dossier", "pk"
        )
    }


def _n(nombre: int) -> str:
    return f"{nombre:,}".replace(",", "\u202f")


def _euros(montant: Decimal) -> str:
    return f"{montant:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"
