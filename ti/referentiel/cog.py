"""Reading the official découpage administratif files (Etalab, @etalab/decoupage-administratif 6.0.0 format).

This module only reads and checks: it turns a directory of JSON files into unsaved model rows, or into the list of
every problem found. Writing them to the database is `importer.py`'s job.
"""

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ti.core.limites import JSON_REFERENTIEL_MAX, TropLourd, lire_au_plus
from ti.core.texte import cle_recherche

from .models import Commune, CommuneRattachee, Departement, Epci, Region

FICHIERS = ("regions", "departements", "epci", "communes")

# The collectivités d'outre-mer (Saint-Pierre-et-Miquelon, Polynésie…) are neither régions nor départements: INSEE
# keeps them out of the COG proper, Etalab adds them as pseudo-régions. The programme covers régions and départements.
ZONE_HORS_COG = "com"

MAX_PROBLEMES_AFFICHES = 30


class FichiersInvalides(Exception):
    """The files cannot be imported; `problemes` says why, one French sentence each."""

    def __init__(self, problemes: list[str]):
        self.problemes = problemes
        visibles = problemes[:MAX_PROBLEMES_AFFICHES]
        reste = len(problemes) - len(visibles)
        lignes = [f"Import du COG impossible : {len(problemes)} problème(s), rien n’a été modifié."]
        lignes += [f"  - {probleme}" for probleme in visibles]
        if reste:
            lignes.append(f"  … et {reste} autre(s).")
        super().__init__("\n".join(lignes))


@dataclass
class Referentiel:
    """The rows found in the files, unsaved, keyed by their natural key."""

    regions: dict[str, Region] = field(default_factory=dict)
    departements: dict[str, Departement] = field(default_factory=dict)
    epcis: dict[str, Epci] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    rattachees: dict[tuple[str, str], CommuneRattachee] = field(default_factory=dict)
    hors_cog: dict[str, int] = field(default_factory=dict)  # level → rows of the collectivités d'outre-mer left out


def annee_du_dossier(dossier: Path) -> int | None:
    """`data/cog-2026` → 2026; None when the directory's name holds no 4-digit year."""
    trouve = re.search(r"(?<!\d)(\d{4})(?!\d)", dossier.resolve().name)
    return int(trouve.group(1)) if trouve else None


def lire(dossier: Path) -> tuple[dict[str, list], str]:
    """The four files' decoded content and their SHA-256 fingerprint (of the uncompressed bytes, so that the same
    content compressed or not gives the same fingerprint)."""
    problemes: list[str] = []
    contenus: dict[str, list] = {}
    empreinte = hashlib.sha256()
    if not dossier.is_dir():
        raise FichiersInvalides([f"Le dossier « {dossier} » n’existe pas."])
    for nom in FICHIERS:
        presents = [chemin for chemin in (dossier / f"{nom}.json", dossier / f"{nom}.json.gz") if chemin.is_file()]
        if not presents:
            problemes.append(f"Fichier {nom}.json (ou {nom}.json.gz) introuvable dans « {dossier} ».")
            continue
        if len(presents) > 1:
            problemes.append(f"{nom}.json et {nom}.json.gz sont tous deux présents : n’en gardez qu’un.")
            continue
        chemin = presents[0]
        try:
            with gzip.open(chemin) if chemin.suffix == ".gz" else chemin.open("rb") as flux:
                brut = lire_au_plus(flux, JSON_REFERENTIEL_MAX)  # a gzip bomb stops at the bound
            contenu = json.loads(brut)
        except TropLourd as erreur:
            problemes.append(f"{chemin.name} : {erreur.message}")
            continue
        except (OSError, EOFError, gzip.BadGzipFile) as erreur:
            problemes.append(f"{chemin.name} : lecture impossible ({erreur}).")
            continue
        except UnicodeDecodeError:
            problemes.append(f"{chemin.name} : le fichier n’est pas encodé en UTF-8.")
            continue
        except json.JSONDecodeError as erreur:
            problemes.append(f"{chemin.name} : JSON invalide, ligne {erreur.lineno}, colonne {erreur.colno}.")
            continue
        if not isinstance(contenu, list):
            problemes.append(f"{chemin.name} : une liste d’enregistrements était attendue.")
            continue
        empreinte.update(hashlib.sha256(nom.encode() + b"\0" + brut).digest())
        contenus[nom] = contenu
    if problemes:
        raise FichiersInvalides(problemes)
    return contenus, empreinte.hexdigest()


class _Verificateur:
    """Walks the records of one file and collects problems instead of stopping at the first."""

    def __init__(self, problemes: list[str], fichier: str):
        self.problemes = problemes
        self.fichier = fichier

    def enregistrements(self, contenu: list, requis: tuple[str, ...]) -> Iterator[dict]:
        """The records that have every required key with a non-empty text value; the others are reported."""
        for rang, enregistrement in enumerate(contenu, start=1):
            if not isinstance(enregistrement, dict):
                self.signaler(rang, None, "un objet JSON était attendu.")
                continue
            code = enregistrement.get("code")
            manquants = [
                cle for cle in requis if not isinstance(enregistrement.get(cle), str) or not enregistrement[cle]
            ]
            if manquants:
                cles = ", ".join(f"« {cle} »" for cle in manquants)
                self.signaler(rang, code, f"clé(s) {cles} absente(s) ou vide(s).")
                continue
            yield enregistrement

    def signaler(self, rang: int | None, code, message: str) -> None:
        ou = f"enregistrement n° {rang}" if rang else "enregistrement"
        if isinstance(code, str) and code:
            ou += f" (code {code})"
        self.problemes.append(f"{self.fichier}, {ou} : {message}")

    def entier(self, enregistrement: dict, cle: str) -> int:
        valeur = enregistrement.get(cle, 0)
        if isinstance(valeur, bool) or not isinstance(valeur, int) or valeur < 0:
            self.signaler(None, enregistrement["code"], f"« {cle} » doit être un entier positif.")
            return 0
        return valeur

    def textes(self, enregistrement: dict, cle: str) -> list[str]:
        valeur = enregistrement.get(cle, [])
        if not isinstance(valeur, list) or not all(isinstance(texte, str) for texte in valeur):
            self.signaler(None, enregistrement["code"], f"« {cle} » doit être une liste de textes.")
            return []
        return valeur


def _hors_cog(enregistrement: dict) -> bool:
    return enregistrement.get("zone") == ZONE_HORS_COG


def verifier(contenus: dict[str, list]) -> Referentiel:
    """Every record checked against the format and against the others (codes that point to nothing, duplicates).
    Raises `FichiersInvalides` listing all the problems, or returns the rows to import."""
    problemes: list[str] = []
    ref = Referentiel(hors_cog={"regions": 0, "departements": 0, "communes": 0})

    v = _Verificateur(problemes, "regions.json")
    for r in v.enregistrements(contenus["regions"], ("code", "nom")):
        if _hors_cog(r):
            ref.hors_cog["regions"] += 1
        elif r["code"] in ref.regions:
            v.signaler(None, r["code"], "code en double.")
        else:
            ref.regions[r["code"]] = Region(
                code=r["code"], nom=r["nom"], chef_lieu=r.get("chefLieu") or "", zone=r.get("zone") or ""
            )

    v = _Verificateur(problemes, "departements.json")
    for d in v.enregistrements(contenus["departements"], ("code", "nom", "region")):
        if _hors_cog(d):
            ref.hors_cog["departements"] += 1
        elif d["region"] not in ref.regions:
            v.signaler(None, d["code"], f"région « {d['region']} » inconnue.")
        elif d["code"] in ref.departements:
            v.signaler(None, d["code"], "code en double.")
        else:
            ref.departements[d["code"]] = Departement(
                code=d["code"],
                nom=d["nom"],
                region_id=d["region"],
                chef_lieu=d.get("chefLieu") or "",
                zone=d.get("zone") or "",
            )

    v = _Verificateur(problemes, "communes.json")
    chefs_lieux: dict[tuple[str, str], str] = {}
    for c in v.enregistrements(contenus["communes"], ("code", "nom", "type", "departement", "region")):
        if _hors_cog(c):
            ref.hors_cog["communes"] += 1
            continue
        departement = ref.departements.get(c["departement"])
        if departement is None:
            v.signaler(None, c["code"], f"département « {c['departement']} » inconnu.")
            continue
        if departement.region_id != c["region"]:
            v.signaler(None, c["code"], f"région « {c['region']} » différente de celle de son département.")
            continue
        if c["type"] == "commune-actuelle":
            if c["code"] in ref.communes:
                v.signaler(None, c["code"], "commune actuelle en double.")
                continue
            ref.communes[c["code"]] = Commune(
                code=c["code"],
                nom=c["nom"],
                nom_recherche=cle_recherche(c["nom"]),  # bulk_create does not call save()
                departement_id=c["departement"],
                region_id=c["region"],
                siren=c.get("siren") or "",
                codes_postaux=" ".join(v.textes(c, "codesPostaux")),
                population=v.entier(c, "population"),
            )
        elif c["type"] in CommuneRattachee.Type.values:
            cle_chef_lieu = "commune" if c["type"] == CommuneRattachee.Type.ARRONDISSEMENT else "chefLieu"
            chef_lieu = c.get(cle_chef_lieu)
            if not isinstance(chef_lieu, str) or not chef_lieu:
                v.signaler(None, c["code"], f"clé « {cle_chef_lieu} » absente ou vide pour une {c['type']}.")
            elif (c["code"], c["type"]) in ref.rattachees:
                v.signaler(None, c["code"], f"{c['type']} en double.")
            else:
                ref.rattachees[(c["code"], c["type"])] = CommuneRattachee(
                    code=c["code"], type=c["type"], nom=c["nom"], chef_lieu_id=chef_lieu
                )
                chefs_lieux[(c["code"], c["type"])] = chef_lieu
        else:
            v.signaler(None, c["code"], f"type « {c['type']} » inconnu.")
    for (code, type_), chef_lieu in chefs_lieux.items():
        if chef_lieu not in ref.communes:
            v.signaler(None, code, f"chef-lieu « {chef_lieu} » de la {type_} introuvable parmi les communes actuelles.")

    v = _Verificateur(problemes, "epci.json")
    for e in v.enregistrements(contenus["epci"], ("code", "nom", "type")):
        if e["type"] not in Epci.Nature.values:
            v.signaler(None, e["code"], f"nature « {e['type']} » inconnue.")
            continue
        if e["code"] in ref.epcis:
            v.signaler(None, e["code"], "code en double.")
            continue
        ref.epcis[e["code"]] = Epci(
            siren=e["code"],
            nom=e["nom"],
            nature=e["type"],
            mode_financement=e.get("modeFinancement") or "",
            population=v.entier(e, "populationTotale"),
        )
        membres = e.get("membres")
        if not isinstance(membres, list):
            v.signaler(None, e["code"], "clé « membres » absente ou qui n’est pas une liste.")
            continue
        for membre in membres:
            code = membre.get("code") if isinstance(membre, dict) else None
            commune = ref.communes.get(code)
            if commune is None:
                v.signaler(None, e["code"], f"membre « {code} » introuvable parmi les communes actuelles.")
            elif commune.epci_id is not None:
                v.signaler(None, e["code"], f"la commune {code} est déjà membre de l’EPCI {commune.epci_id}.")
            else:
                commune.epci_id = e["code"]

    if problemes:
        raise FichiersInvalides(problemes)
    return ref
