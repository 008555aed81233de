"""Import of the national open-data list of Fonds vert awards (docs/decisions/0016 and 0035).

A row of the file is one awarded line; the rows that share a démarche and dossier number are one dossier with
several lines (several communes, beneficiaries or budget lines). Each line is placed: its commune through the
référentiel (a commune déléguée or associée resolves to its chef-lieu), its région (the commune's, or the
département's when the commune is unknown), and the territoires d'industrie of its commune, of both phases. A line
whose commune is empty, `NULL` or unknown is still stored, without commune nor territory, and reported: it is a real
award and counts in the totals. What spreadsheets did to identifiers and amounts is undone when unambiguous and
reported line by line (`ti.financements.normalisation`).

All or nothing: a malformed file or a single invalid row refuses the whole file, with one French message per line,
and nothing is written. Keyed on (numero_demarche, numero_dossier): a re-import updates the dossier and replaces
its lines. Every lookup is done once for the whole file, every write in bulk: the query count does not grow with
the rows (batches apart).
"""

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError

from ti.core.champs import MONTANT_MAX
from ti.core.limites import TAILLE_TABLEAU_MAX, TropLourd, lire_au_plus
from ti.core.tableaux import AUCUNE_DONNEE, TableauIllisible, lire_tableau
from ti.core.validateurs import valider_siren
from ti.financements import normalisation
from ti.financements.ecriture_fonds_vert import enregistrer
from ti.financements.models import AttributionFondsVert, LigneFondsVert
from ti.financements.rapport_fonds_vert import NonPlacee, Rapport
from ti.referentiel.models import Commune, Departement, Region
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
CHAMPS_DOSSIER = {
    "axe": ("axe", 100),
    "numero_demarche_ds": ("numero_demarche", 20),
    "nom_demarche_ds": ("nom_demarche", 255),
    "numero_dossier_ds": ("numero_dossier", 20),
    "nom_du_projet": ("nom_projet", None),
}
CHAMPS_LIGNE = {
    "nom_region": ("nom_region", 100),
    "code_departement": ("code_departement", 3),
    "code_commune": ("code_commune", 5),
    "nom_commune": ("nom_commune", 150),
    "nom_beneficiaire_principal": ("beneficiaire", 255),
}
# Identifiers a spreadsheet may have read as numbers, with their fixed width when they have one.
IDENTIFIANTS = {
    "code_commune": 5,
    "code_departement": 2,
    "siren": 9,
    "numero_demarche_ds": None,
    "numero_dossier_ds": None,
}
VIDE = "NULL"  # written by database exports for an empty cell
ANNEE_DANS_LE_NOM = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
PAQUET_PROGRESSION = 1000  # rows checked between two updates of the progress
LIGNES_MAX = 500_000  # a yearly file has tens of thousands of rows


class ImportRefuse(Exception):
    """The year cannot be known; the command turns it into a CommandError."""


def annee_du_fichier(nom: str) -> int | None:
    """The year written in the file's name (« fonds-vert-2024.csv »), if there is exactly one."""
    annees = set(ANNEE_DANS_LE_NOM.findall(Path(nom).name))
    return int(annees.pop()) if len(annees) == 1 else None


@dataclass
class _Ligne:
    numero: int
    objet: LigneFondsVert
    commune_ecrite: str  # as in the file, for the report of an unplaceable line
    territoires: set = field(default_factory=set)


@dataclass
class _Dossier:
    objet: AttributionFondsVert
    lignes: list[_Ligne] = field(default_factory=list)


@dataclass
class Analyse:
    """The file read, checked and placed, not yet written: its report and its dossiers."""

    rapport: Rapport
    dossiers: list[_Dossier] = field(default_factory=list)
    empreinte: str = ""


def importer_fonds_vert(fichier: str | Path, *, annee: int | None = None) -> Rapport:
    """Read, check, place and write one yearly file (the command). Raises ImportRefuse when the year is unknown."""
    debut = time.perf_counter()
    chemin = Path(fichier)
    annee = annee or annee_du_fichier(chemin.name)
    if annee is None:
        raise ImportRefuse(
            f"Année inconnue : le nom « {chemin.name} » ne contient pas d’année (AAAA) ; précisez-la avec --annee."
        )
    rapport = Rapport(fichier=chemin.name, annee=annee)
    try:
        with chemin.open("rb") as flux:
            contenu = lire_au_plus(flux, TAILLE_TABLEAU_MAX)  # bounded before reading
    except OSError as e:
        rapport.erreur(None, f"Fichier illisible : {e.strerror or e}.")
        return rapport
    except TropLourd as e:
        rapport.erreur(None, e.message[0].upper() + e.message[1:])
        return rapport
    analyse = analyser(contenu, fichier=chemin.name, annee=annee)
    if analyse.rapport.accepte:
        enregistrer(analyse)
    analyse.rapport.duree = time.perf_counter() - debut
    return analyse.rapport


def analyser(contenu: bytes, *, fichier: str, annee: int, progression: Callable[[int], None] | None = None) -> Analyse:
    """Read, check and place the whole file; write nothing. `progression(n)` is called every PAQUET_PROGRESSION
    rows checked. A fixed number of queries whatever the file (communes, départements, régions, perimeters)."""
    if not 2000 <= annee <= 2100:
        raise ImportRefuse(f"Année invalide : {annee}.")
    analyse = Analyse(Rapport(fichier=fichier, annee=annee), empreinte=hashlib.sha256(contenu).hexdigest())
    if len(contenu) > TAILLE_TABLEAU_MAX:
        analyse.rapport.erreur(None, _trop_lourd(len(contenu)))
        return analyse
    analyse.dossiers = _lire(contenu, analyse.rapport, progression)
    if analyse.rapport.accepte:
        _placer(analyse.dossiers, analyse.rapport)
    return analyse


def _trop_lourd(taille: int) -> str:
    poids = f"{taille / 1024 / 1024:.1f}".replace(".", ",")
    return f"Le fichier pèse {poids} Mo : {TAILLE_TABLEAU_MAX // 1024 // 1024} Mo au plus. Découpez-le en plusieurs."


# Reading and checking: every row is checked, every error reported, before anything is written.


def _lire(contenu: bytes, rapport: Rapport, progression) -> list[_Dossier]:
    try:
        tableau = lire_tableau(contenu, lignes_max=LIGNES_MAX)
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
    dossiers: dict[tuple[str, str], _Dossier] = {}
    for rang, (numero, valeurs) in enumerate(tableau.lignes, start=1):
        if progression and rang % PAQUET_PROGRESSION == 0:
            progression(rang)
        if len(valeurs) > len(tableau.entete) and any(valeurs[len(tableau.entete) :]):
            rapport.erreur(numero, "plus de valeurs que de colonnes (un séparateur dans un texte sans guillemets ?).")
            continue
        lue = _lire_ligne(numero, {nom: valeurs[i] for nom, i in index.items()}, rapport)
        if lue is None:
            continue
        donnees_dossier, ligne = lue
        cle = (donnees_dossier["numero_demarche"], donnees_dossier["numero_dossier"])
        if cle not in dossiers:  # a grouped dossier takes its name and axis from its first row
            dossiers[cle] = _Dossier(AttributionFondsVert(annee=rapport.annee, **donnees_dossier))
        dossier = dossiers[cle]
        ligne.objet.rang = len(dossier.lignes) + 1
        dossier.lignes.append(ligne)
    rapport.lignes = len(tableau.lignes)
    if progression:
        progression(rapport.lignes)  # all checked: the writing follows
    for dossier in dossiers.values():
        dossier.objet.montant_engage = sum((ligne.objet.montant_engage for ligne in dossier.lignes), Decimal(0))
        dossier.objet.nombre_lignes = len(dossier.lignes)
        if dossier.objet.montant_engage > MONTANT_MAX:
            numero = dossier.objet.numero_dossier
            rapport.erreur(dossier.lignes[0].numero, f"le total des lignes du dossier {numero} est trop grand.")
    rapport.dossiers = len(dossiers)
    rapport.dossiers_groupes = sum(1 for dossier in dossiers.values() if len(dossier.lignes) > 1)
    rapport.erreurs.sort(key=lambda erreur: erreur[0] or 0)
    return list(dossiers.values())


def _lire_ligne(numero: int, valeurs: dict[str, str], rapport: Rapport) -> tuple[dict, _Ligne] | None:
    erreurs_avant = len(rapport.erreurs)
    commune_ecrite = valeurs["code_commune"]
    for colonne, valeur in valeurs.items():
        if valeur.upper() == VIDE:
            valeurs[colonne] = ""
    ambigus = set()
    for colonne, largeur in IDENTIFIANTS.items():
        ecrit = valeurs[colonne]
        try:
            valeur, genres = normalisation.identifiant(ecrit, largeur=largeur)
        except normalisation.Ambigu as e:
            rapport.erreur(numero, f"{colonne} {e.message}")
            ambigus.add(colonne)
            continue
        if genres:
            rapport.normalise(numero, colonne, ecrit, valeur, genres)
            valeurs[colonne] = valeur
    donnees = {}
    for colonne, (nom, longueur) in (CHAMPS_DOSSIER | CHAMPS_LIGNE).items():
        valeur = valeurs[colonne]
        if longueur is not None and len(valeur) > longueur and colonne not in ambigus:
            rapport.erreur(numero, f"{colonne} dépasse {longueur} caractères.")
        donnees[nom] = valeur
    for colonne in ("numero_demarche_ds", "numero_dossier_ds"):
        if not valeurs[colonne]:
            rapport.erreur(numero, f"{colonne} manquant : c’est lui qui identifie le dossier.")
    try:
        montant, genres = normalisation.montant(valeurs["montant_engage"])
    except normalisation.Ambigu as e:
        message = e.message if e.message.startswith("montant_engage") else f"montant_engage {e.message}"
        rapport.erreur(numero, message)
    else:
        if montant > MONTANT_MAX:
            rapport.erreur(numero, f"montant_engage « {valeurs['montant_engage']} » est trop grand.")
        elif genres:
            rapport.normalise(numero, "montant_engage", valeurs["montant_engage"], str(montant), genres)
    siren = valeurs["siren"].replace(" ", "")
    if "siren" in ambigus:
        pass  # already reported
    elif siren:
        try:
            valider_siren(siren)
        except ValidationError as e:
            rapport.erreur(numero, f"SIREN « {valeurs['siren']} » : {e.messages[0]}")
    else:
        rapport.sans_siren += 1
    if len(rapport.erreurs) > erreurs_avant:
        return None
    donnees_dossier = {nom: donnees.pop(nom) for nom, _ in CHAMPS_DOSSIER.values()}
    objet = LigneFondsVert(ligne_fichier=numero, siren=siren, montant_engage=montant, **donnees)
    return donnees_dossier, _Ligne(numero, objet, commune_ecrite)


# Placing: four lookups for the whole file (communes, départements, régions, perimeters), whatever its size.


def _placer(dossiers: list[_Dossier], rapport: Rapport) -> None:
    lignes = [ligne for dossier in dossiers for ligne in dossier.lignes]
    resolutions = resoudre_communes({ligne.objet.code_commune for ligne in lignes if ligne.objet.code_commune})
    departements = dict(
        Departement.objects.filter(code__in={ligne.objet.code_departement for ligne in lignes}).values_list(
            "code", "region_id"
        )
    )
    codes_resolus = {r.commune.code for r in resolutions.values() if r.commune}
    territoires: dict[str, set[int]] = {}
    noms_territoires: dict[int, tuple[str, str, int]] = {}
    appartenances = CommuneTerritoire.objects.filter(
        commune__in=Commune.objects.filter(code__dans_liste=codes_resolus)
    ).values_list("commune_id", "territoire_id", "territoire__identifiant", "territoire__nom", "territoire__phase")
    for commune_id, territoire_id, *nom in appartenances:
        territoires.setdefault(commune_id, set()).add(territoire_id)
        noms_territoires[territoire_id] = tuple(nom)
    for ligne in lignes:
        objet = ligne.objet
        resolution = resolutions.get(objet.code_commune)
        if resolution is None or resolution.commune is None:
            objet.commune, objet.region_id = None, departements.get(objet.code_departement)
            rapport.non_placees.append(
                NonPlacee(ligne.numero, ligne.commune_ecrite, objet.nom_commune, _motif(ligne.commune_ecrite))
            )
            continue
        objet.commune, objet.region_id = resolution.commune, resolution.commune.region_id
        rapport.placees += 1
        rapport.via_chef_lieu += resolution.via_chef_lieu
        ligne.territoires = territoires.get(resolution.commune.code, set())
    _compter(dossiers, rapport, noms_territoires)


def _motif(code_ecrit: str) -> str:
    if not code_ecrit:
        return "code commune vide"
    if code_ecrit.upper() == VIDE:
        return "code commune « NULL »"
    return "inconnue du référentiel (hors du Code officiel géographique)"


def _compter(dossiers: list[_Dossier], rapport: Rapport, noms_territoires: dict) -> None:
    """Totals, and the split by région and territory of the preview: a dossier counts once in each, its lines
    add their amounts (as the dashboards count them, see selectors_fonds_vert)."""
    noms_regions = dict(Region.objects.values_list("code", "nom"))
    regions: dict[str | None, dict] = {}
    par_territoire: dict[int, dict] = {}
    for dossier in dossiers:
        cle = (dossier.objet.numero_demarche, dossier.objet.numero_dossier)
        dans_un_territoire = False
        for ligne in dossier.lignes:
            montant = ligne.objet.montant_engage
            rapport.montant_total += montant
            region = regions.setdefault(
                ligne.objet.region_id,
                {"code": ligne.objet.region_id, "nom": noms_regions.get(ligne.objet.region_id), "dossiers": set()},
            )
            region["dossiers"].add(cle)
            _ajouter(region, montant, ligne.territoires)
            for territoire_id in ligne.territoires:
                identifiant, nom, phase = noms_territoires[territoire_id]
                territoire = par_territoire.setdefault(
                    territoire_id, {"identifiant": identifiant, "nom": nom, "phase": phase, "dossiers": set()}
                )
                territoire["dossiers"].add(cle)
                _ajouter(territoire, montant, ligne.territoires)
            if ligne.territoires:
                dans_un_territoire = True
                rapport.en_territoire += 1
                rapport.montant_en_territoire += montant
        rapport.dossiers_en_territoire += dans_un_territoire
    rapport.regions = sorted(
        (_en_json(region) for region in regions.values()), key=lambda r: (r["code"] is None, r["nom"] or "")
    )
    rapport.territoires = sorted(
        (_en_json(territoire) for territoire in par_territoire.values()),
        key=lambda t: (-Decimal(t["montant"]), t["nom"]),
    )


def _ajouter(total: dict, montant: Decimal, territoires: set) -> None:
    total["lignes"] = total.get("lignes", 0) + 1
    total["montant"] = total.get("montant", Decimal(0)) + montant
    total["montant_ti"] = total.get("montant_ti", Decimal(0)) + (montant if territoires else 0)


def _en_json(total: dict) -> dict:
    return total | {
        "dossiers": len(total["dossiers"]),
        "montant": str(total["montant"]),
        "montant_ti": str(total["montant_ti"]),
    }
