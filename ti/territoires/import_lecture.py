"""Reading the ANCT files of a territories import: the communes file and the optional groupements file, checked
line by line before anything is resolved or written."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from ti.core import tableaux
from ti.core.limites import TAILLE_TABLEAU_MAX, TropLourd, lire_au_plus
from ti.core.validateurs import chiffres_ascii, valider_siren
from ti.referentiel.models import Epci
from ti.territoires.identification import cle_nom
from ti.territoires.import_rapport import Erreur, ImportRefuse, RapportImport, Source

COLONNES_COMMUNES = ("insee_com", "lib_com", "lib_ti")
ID_TI = "id_ti"  # optional column of the commune file
COLONNES_GROUPEMENTS = ("id_ti", "siren_groupement", "lib_groupement")
SEPARATEUR_TERRITOIRES = ";"  # inside id_ti / lib_ti: "8401 ; 8402"
CODE_INSEE = re.compile(r"\d{5}|2[AB]\d{3}", re.ASCII)
FORME_ID_TI = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,9}")  # it becomes the end of a slug: ti1-8401


@dataclass
class TerritoireLu:
    code: str
    nom: str
    ligne: int
    communes: list[tuple[int, str, str]] = field(default_factory=list)  # (ligne, code INSEE, lib_com)


def lire_communes(source: Source, rapport: RapportImport) -> tuple[dict[str, TerritoireLu], bool]:
    """The territories of the file by id_ti (or by name key when the file has no id_ti), and whether it has ids."""
    nom_fichier = rapport.fichier
    lignes = _lire_csv(source, nom_fichier, COLONNES_COMMUNES, facultatives=(ID_TI,))
    avec_ids = bool(lignes) and ID_TI in lignes[0][1]
    rapport.lignes = len(lignes)
    erreurs: list[Erreur] = []
    territoires: dict[str, TerritoireLu] = {}

    def erreur(ligne, message):
        erreurs.append(Erreur(message, ligne, nom_fichier))

    for ligne, valeurs in lignes:
        code = valeurs["insee_com"].upper()
        if not CODE_INSEE.fullmatch(code):
            erreur(ligne, _code_invalide(valeurs["insee_com"]))
        noms = [" ".join(n.split()) for n in valeurs["lib_ti"].split(SEPARATEUR_TERRITOIRES)]
        if not avec_ids:
            for nom in noms:
                if not cle_nom(nom):
                    erreur(ligne, "lib_ti est vide : chaque commune doit indiquer le nom de son territoire.")
                    continue
                territoire = territoires.setdefault(cle_nom(nom), TerritoireLu(code="", nom=nom, ligne=ligne))
                if territoire.nom != nom:
                    erreur(
                        ligne,
                        f"le territoire « {nom} » est écrit « {territoire.nom} » ligne {territoire.ligne} : une seule "
                        "graphie par territoire, faute d’id_ti pour les distinguer.",
                    )
                    continue
                territoire.communes.append((ligne, code, valeurs["lib_com"]))
            continue
        ids = [i.strip() for i in valeurs["id_ti"].split(SEPARATEUR_TERRITOIRES)]
        if not valeurs["id_ti"]:
            erreur(ligne, "id_ti est vide : chaque commune doit indiquer son territoire.")
            continue
        if "" in ids:
            erreur(ligne, f"id_ti « {valeurs['id_ti']} » contient un identifiant vide.")
            continue
        if len(ids) != len(noms):
            erreur(
                ligne,
                f"id_ti compte {len(ids)} identifiant(s) ({' ; '.join(ids)}) mais lib_ti {len(noms)} nom(s) "
                f"(« {valeurs['lib_ti']} ») : il en faut autant, dans le même ordre.",
            )
            continue
        for id_ti, nom in dict(zip(ids, noms, strict=True)).items():
            if not FORME_ID_TI.fullmatch(id_ti):
                erreur(ligne, f"identifiant de territoire « {id_ti} » invalide : 1 à 10 lettres, chiffres ou tirets.")
                continue
            if not nom:
                erreur(ligne, f"lib_ti est vide pour le territoire {id_ti}.")
                continue
            territoire = territoires.setdefault(id_ti, TerritoireLu(code=id_ti, nom=nom, ligne=ligne))
            if territoire.nom != nom:
                erreur(
                    ligne,
                    f"le territoire {id_ti} porte deux noms : « {territoire.nom} » (ligne {territoire.ligne}) "
                    f"et « {nom} ».",
                )
                continue
            territoire.communes.append((ligne, code, valeurs["lib_com"]))
    if erreurs:
        raise ImportRefuse(erreurs)
    return territoires, avec_ids


def lire_groupements(source: Source, territoires: dict[str, TerritoireLu], nom_fichier: str) -> dict[str, set]:
    """The SIREN of each territory's EPCI, as listed; every territory of the commune file must have some."""
    erreurs: list[Erreur] = []
    sirens: dict[str, set[str]] = defaultdict(set)
    premiere_ligne: dict[str, tuple[int, str]] = {}  # SIREN → (line, lib_groupement), for the messages
    mentionnes = set()
    for ligne, valeurs in _lire_csv(source, nom_fichier, COLONNES_GROUPEMENTS):
        id_ti, siren = valeurs["id_ti"], valeurs["siren_groupement"].replace(" ", "")
        mentionnes.add(id_ti)
        if not id_ti:
            erreurs.append(
                Erreur("id_ti est vide : chaque groupement doit indiquer son territoire.", ligne, nom_fichier)
            )
            continue
        if id_ti not in territoires:
            erreurs.append(Erreur(f"le territoire {id_ti} n’est pas dans le fichier des communes.", ligne, nom_fichier))
            continue
        try:
            valider_siren(siren)
        except ValidationError as e:
            erreurs.append(Erreur(f"SIREN « {siren} » invalide : {e.messages[0]}", ligne, nom_fichier))
            continue
        sirens[id_ti].add(siren)
        premiere_ligne.setdefault(siren, (ligne, valeurs["lib_groupement"]))
    connus = set(Epci.objects.filter(siren__in=premiere_ligne).values_list("siren", flat=True))
    for siren, (ligne, libelle) in sorted(premiere_ligne.items(), key=lambda item: item[1]):
        if siren not in connus:
            erreurs.append(Erreur(f"EPCI inconnu du référentiel : SIREN {siren} « {libelle} ».", ligne, nom_fichier))
    erreurs += [
        Erreur(f"le territoire {id_ti} « {territoire.nom} » n’a aucun groupement dans ce fichier.", None, nom_fichier)
        for id_ti, territoire in sorted(territoires.items())
        if id_ti not in mentionnes
    ]
    if erreurs:
        raise ImportRefuse(erreurs)
    return sirens


def _lire_csv(
    source: Source, nom_fichier: str, attendues: tuple[str, ...], facultatives: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The data rows as (line number, {expected or optional column present: stripped value}); blank rows skipped."""
    try:
        tableau = tableaux.lire_csv(_octets(source, nom_fichier))
    except tableaux.TableauIllisible as e:
        raise ImportRefuse([Erreur(e.message, e.ligne, nom_fichier)]) from e
    entete = [colonne.lower() for colonne in tableau.entete]
    manquantes = [colonne for colonne in attendues if colonne not in entete]
    if manquantes:
        raise ImportRefuse(
            [
                Erreur(
                    f"colonnes attendues : {', '.join(attendues)}"
                    + (f" (facultative : {', '.join(facultatives)})" if facultatives else "")
                    + f" ; colonnes trouvées : "
                    f"{', '.join(entete) or '(aucune)'} ; il manque : {', '.join(manquantes)}.",
                    1,
                    nom_fichier,
                )
            ]
        )
    if not tableau.lignes:
        raise ImportRefuse([Erreur(tableaux.AUCUNE_DONNEE, None, nom_fichier)])
    position = {colonne: entete.index(colonne) for colonne in (*attendues, *facultatives) if colonne in entete}
    return [(ligne, {c: valeurs[i] for c, i in position.items()}) for ligne, valeurs in tableau.lignes]


def _octets(source: Source, nom_fichier: str) -> bytes:
    try:
        if hasattr(source, "read"):
            return lire_au_plus(source, TAILLE_TABLEAU_MAX)
        with Path(source).open("rb") as flux:
            return lire_au_plus(flux, TAILLE_TABLEAU_MAX)
    except TropLourd as e:
        raise ImportRefuse([Erreur(e.message, None, nom_fichier)]) from e
    except OSError as e:
        raise ImportRefuse([Erreur(f"impossible de lire le fichier : {e.strerror}.", None, nom_fichier)]) from e


def _code_invalide(code: str) -> str:
    message = f"code commune « {code} » invalide : 5 caractères attendus (chiffres, ou 2A / 2B pour la Corse)."
    if chiffres_ascii(code) and len(code) == 4:
        message += " Le zéro initial a-t-il été supprimé par un tableur ?"
    return message
