"""Import and export of the catalogue in the CNIG standard's CSV files (site-eco, terrain-eco).

An import is all-or-nothing: every line is checked against the standard's schema and the référentiel first, and
the report lists each problem by line; nothing is written while one remains. It is idempotent: the standard's
identifiers find the records again, so a second run of the same files changes nothing."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpResponse

from ti.comptes.permissions import exiger
from ti.core import tableaux
from ti.core.exports import TYPES_DE_CONTENU, piece_jointe
from ti.core.models import journaliser
from ti.foncier import cnig
from ti.foncier.cnig import COLONNES_A_PART, COLONNES_SITE, COLONNES_TERRAIN, ValeurInvalide
from ti.foncier.models import Site, Terrain
from ti.referentiel.models import Commune, CommuneRattachee, Epci

TAILLE_MAX = 10 * 1024 * 1024  # bytes: read before anything else, so that a huge file costs nothing
LIGNES_MAX = 20_000


class FichierRefuse(Exception):
    """The file cannot be read at all; the message says why."""


@dataclass
class Rapport:
    erreurs: list[str] = field(default_factory=list)
    remarques: list[str] = field(default_factory=list)  # what was normalised, said plainly
    crees: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0

    @property
    def valide(self) -> bool:
        return not self.erreurs


def lire_fichier(chemin) -> bytes:
    """A file of the server's disk, refused before reading when it is too big."""
    if chemin.stat().st_size > TAILLE_MAX:
        raise FichierRefuse(f"{chemin.name} : plus de {TAILLE_MAX // (1024 * 1024)} Mo, découpez-le.")
    return chemin.read_bytes()


def lire_csv(contenu: bytes, classe: str, rapport: Rapport) -> list[tuple[int, dict]]:
    """(line number, row) of a file of the standard, read by the platform's table reader (ti/core/tableaux.py:
    encodings, separators, XLSX, values stripped); raises FichierRefuse when it is not one."""
    nom = f"Fichier {classe}"
    if len(contenu) > TAILLE_MAX:
        raise FichierRefuse(f"{nom} : plus de {TAILLE_MAX // (1024 * 1024)} Mo, découpez-le.")
    try:
        tableau = tableaux.lire_tableau(contenu, lignes_max=LIGNES_MAX)
    except tableaux.TableauIllisible as illisible:
        ligne = f" (ligne {illisible.ligne})" if illisible.ligne else ""
        raise FichierRefuse(f"{nom} : {illisible.message}{ligne}") from None
    if tableau.format == "xlsx":
        rapport.remarques.append(f"{nom} : classeur XLSX lu (première feuille) à la place d’un CSV.")
    elif tableau.separateur != ";":
        rapport.remarques.append(f"{nom} : séparateur « {tableau.separateur} » lu à la place du point-virgule.")
    attendues = cnig.colonnes(classe)
    manquantes = [colonne for colonne in attendues if colonne not in tableau.entete]
    inconnues = [entete for entete in tableau.entete if entete not in attendues]
    if manquantes or inconnues:
        details = []
        if manquantes:
            details.append(f"colonnes manquantes : {', '.join(manquantes)}")
        if inconnues:
            details.append(f"colonnes inconnues du standard : {', '.join(inconnues)}")
        raise FichierRefuse(f"{nom} : ce n’est pas un fichier {classe} du standard CNIG ({' ; '.join(details)}).")
    lignes = []
    for numero, valeurs in tableau.lignes:
        if len(valeurs) > len(tableau.entete):
            rapport.erreurs.append(f"{nom}, ligne {numero} : plus de valeurs que de colonnes.")
        else:
            lignes.append((numero, dict(zip(tableau.entete, valeurs, strict=True))))
    return lignes


def _verifier_ligne(classe: str, numero: int, ligne: dict, rapport: Rapport) -> dict | None:
    """The typed values of a row, or None after reporting each of its problems."""
    valeurs, erreurs = {}, []
    for champ in cnig.schema(classe)["fields"]:
        nom = champ["name"]
        try:
            valeurs[nom] = cnig.verifier_cellule(champ, ligne[nom])
            if nom in cnig.FORME_IDENTIFIANT and valeurs[nom] is not None:
                cnig.verifier_identifiant(nom, ligne[nom])
        except ValeurInvalide as erreur:
            erreurs.append(f"Fichier {classe}, ligne {numero}, colonne {nom} : {erreur}")
    rapport.erreurs.extend(erreurs)
    return None if erreurs else valeurs


def _champs(colonnes: dict, valeurs: dict, ligne: dict, classe: str) -> dict:
    champs = {
        colonne.champ: cnig.valeur_champ(colonne, valeurs[nom], vide_vaut_non=classe == "site-eco")
        for nom, colonne in colonnes.items()
    }
    champs["complements"] = {
        nom: texte for nom, texte in ligne.items() if nom not in colonnes and nom not in COLONNES_A_PART and texte
    }
    return champs


def _preparer_sites(lignes, rapport: Rapport) -> dict[str, dict]:
    codes = {ligne["site_comm_insee"] for _, ligne in lignes}
    communes = {c.code: c for c in Commune.objects.filter(code__in=codes)}
    rattachees = {
        r.code: r.chef_lieu
        for r in CommuneRattachee.objects.filter(code__in=codes - communes.keys()).select_related("chef_lieu")
    }
    epcis = set(
        Epci.objects.filter(siren__in={ligne["site_epci_siren"] for _, ligne in lignes}).values_list("siren", flat=True)
    )
    sites = {}
    for numero, ligne in lignes:
        valeurs = _verifier_ligne("site-eco", numero, ligne, rapport)
        if valeurs is None:
            continue
        prefixe = f"Fichier site-eco, ligne {numero}"
        code = ligne["site_comm_insee"]
        commune = communes.get(code) or rattachees.get(code)
        if commune is None:
            rapport.erreurs.append(f"{prefixe}, colonne site_comm_insee : commune « {code} » inconnue du COG.")
            continue
        if code not in communes:
            rapport.remarques.append(f"{prefixe} : commune {code} rattachée à son chef-lieu {commune}.")
        if ligne["site_epci_siren"] not in epcis:
            siren = ligne["site_epci_siren"]
            rapport.erreurs.append(f"{prefixe}, colonne site_epci_siren : EPCI « {siren} » inconnu du COG.")
            continue
        if valeurs["site_surf_utile"] > valeurs["site_surf_brute"]:
            rapport.erreurs.append(f"{prefixe} : la surface utile dépasse la surface brute.")
            continue
        if ligne["site_id"] in sites:
            rapport.erreurs.append(f"{prefixe}, colonne site_id : identifiant « {ligne['site_id']} » en double.")
            continue
        if vides := [nom for nom, colonne in COLONNES_SITE.items() if colonne.genre == "ouinon" and not ligne[nom]]:
            rapport.remarques.append(f"{prefixe} : {', '.join(vides)} vide(s), lu(s) « non ».")
        champs = _champs(COLONNES_SITE, valeurs, ligne, "site-eco")
        point = valeurs["site_geompoint"] or (None, None)
        champs.update(commune_id=commune.pk, epci_id=ligne["site_epci_siren"], longitude=point[0], latitude=point[1])
        sites[ligne["site_id"]] = champs
    return sites


def _preparer_terrains(lignes, sites_du_fichier: set[str], rapport: Rapport) -> dict[str, tuple[str, dict]]:
    """terr_id → (site_id, fields)."""
    connus = (
        set(
            Site.objects.filter(identifiant__in={ligne["site_id"] for _, ligne in lignes}).values_list(
                "identifiant", flat=True
            )
        )
        | sites_du_fichier
    )
    terrains = {}
    for numero, ligne in lignes:
        valeurs = _verifier_ligne("terrain-eco", numero, ligne, rapport)
        if valeurs is None:
            continue
        prefixe = f"Fichier terrain-eco, ligne {numero}"
        if ligne["site_id"] not in connus:
            rapport.erreurs.append(f"{prefixe}, colonne site_id : site « {ligne['site_id']} » inconnu.")
        elif ligne["terr_id"] in terrains:
            rapport.erreurs.append(f"{prefixe}, colonne terr_id : identifiant « {ligne['terr_id']} » en double.")
        else:
            champs = _champs(COLONNES_TERRAIN, valeurs, ligne, "terrain-eco")
            terrains[ligne["terr_id"]] = (ligne["site_id"], champs)
    return terrains


def importer(*, par, sites: bytes | None = None, terrains: bytes | None = None) -> Rapport:
    """Checks both files whole, then writes them in one transaction; the report says what was done or why not.

    `par` is the user importing from a page (the national team); None only for the server's operator
    (`manage.py import_sites_eco`), who is journalled as « système »."""
    if par is not None:
        exiger(par, "gerer_site")
    rapport = Rapport()
    try:
        lignes_sites = lire_csv(sites, "site-eco", rapport) if sites is not None else []
        lignes_terrains = lire_csv(terrains, "terrain-eco", rapport) if terrains is not None else []
    except FichierRefuse as refus:
        rapport.erreurs.append(str(refus))
        return rapport
    prets_sites = _preparer_sites(lignes_sites, rapport)
    prets_terrains = _preparer_terrains(lignes_terrains, set(prets_sites), rapport)
    if rapport.valide:
        _ecrire(par, prets_sites, prets_terrains, rapport)
    return rapport


def _compter(objet, champs: dict, rapport: Rapport) -> bool:
    """Sets the fields on `objet`; counts it as created, updated or unchanged. True when it must be saved."""
    if objet.pk is None:
        rapport.crees += 1
    elif all(getattr(objet, cle) == valeur for cle, valeur in champs.items()):
        rapport.inchanges += 1
        return False
    else:
        rapport.mis_a_jour += 1
    for cle, valeur in champs.items():
        setattr(objet, cle, valeur)
    return True


@transaction.atomic
def _ecrire(par, sites: dict[str, dict], terrains: dict[str, tuple[str, dict]], rapport: Rapport) -> None:
    existants = Site.objects.in_bulk(sites.keys(), field_name="identifiant")
    for identifiant, champs in sites.items():
        site = existants.get(identifiant) or Site(identifiant=identifiant)
        if _compter(site, champs, rapport):
            site.save()
            journaliser(acteur=par, action="foncier.import_site", objet=site, details={"identifiant": identifiant})
    parents = Site.objects.in_bulk({site_id for site_id, _ in terrains.values()}, field_name="identifiant")
    deja = Terrain.objects.in_bulk(terrains.keys(), field_name="identifiant")
    for identifiant, (site_id, champs) in terrains.items():
        champs = {**champs, "site_id": parents[site_id].pk}
        terrain = deja.get(identifiant) or Terrain(identifiant=identifiant)
        if _compter(terrain, champs, rapport):
            terrain.save()
            journaliser(acteur=par, action="foncier.import_terrain", objet=terrain, details={"site": terrain.site_id})


def _ecrire_csv(classe: str, lignes) -> str:
    sortie = io.StringIO()
    ecrivain = csv.DictWriter(sortie, fieldnames=cnig.colonnes(classe), delimiter=";", lineterminator="\n")
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    return sortie.getvalue()


def exporter_sites(sites) -> str:
    """The sites as a site-eco file; names of commune and EPCI as the source gave them, else the COG's."""
    lignes = []
    for site in sites.select_related("commune", "epci").order_by("identifiant"):
        ligne = {nom: cnig.texte_de(getattr(site, colonne.champ)) for nom, colonne in COLONNES_SITE.items()}
        ligne.update(
            site_comm_insee=site.commune_id,
            site_comm_nom=site.commune.nom,
            site_epci_siren=site.epci_id,
            site_epci_nom=site.epci.nom,
            site_geompoint=f"{site.longitude}, {site.latitude}" if site.latitude is not None else "",
        )
        ligne.update(site.complements)
        lignes.append(ligne)
    return _ecrire_csv("site-eco", lignes)


def exporter_terrains(terrains) -> str:
    lignes = []
    for terrain in terrains.select_related("site").order_by("identifiant"):
        ligne = {nom: cnig.texte_de(getattr(terrain, colonne.champ)) for nom, colonne in COLONNES_TERRAIN.items()}
        ligne["site_id"] = terrain.site.identifiant
        ligne.update(terrain.complements)
        lignes.append(ligne)
    return _ecrire_csv("terrain-eco", lignes)


def reponse_csv(contenu: str, nom: str) -> HttpResponse:
    """A file of the standard to download (pages and API)."""
    return piece_jointe(contenu, TYPES_DE_CONTENU["csv"], nom)
