"""Import of the ANCT files that say which communes make up each Territoire d'industrie of a phase.

Two files, in the ANCT open-data formats:
- communes (required): ``insee_com,lib_com,id_ti,lib_ti``; ``id_ti`` and ``lib_ti`` may list several territories
  separated by `` ; `` when a commune belongs to several of them. ``id_ti`` may be missing (the Temps II list is
  ``insee_com,lib_com,lib_ti``): territories are then known by their name and get their code from
  `ti.territoires.identification` (docs/decisions/0033-territoires-du-temps-2.md);
- groupements (optional): ``id_ti,siren_groupement,lib_groupement``, the EPCI of each territory. Without it, the EPCI
  of a territory are those of its communes in the référentiel.

Both files are read and checked entirely before anything is written, and written in one transaction: an error
refuses the whole import and leaves the database as it was. Codes unknown to the référentiel are not errors: they
are reported one by one and skipped. Users' data on a territory (governance, description, partners) is never
touched; see docs/decisions/0003-import-territoires.md.
"""

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ti.core import tableaux
from ti.core.cache import invalider
from ti.core.limites import TAILLE_TABLEAU_MAX, TropLourd, lire_au_plus
from ti.core.models import journaliser
from ti.core.texte import cle_recherche
from ti.core.validateurs import chiffres_ascii, valider_siren
from ti.referentiel.models import Commune, Epci, Millesime
from ti.referentiel.selectors import resoudre_communes
from ti.territoires.filiation import recalculer_filiations
from ti.territoires.identification import attribuer_codes, cle_nom, region_principale
from ti.territoires.models import CommuneTerritoire, Phase, Territoire

COLONNES_COMMUNES = ("insee_com", "lib_com", "lib_ti")
ID_TI = "id_ti"  # optional column of the commune file
COLONNES_GROUPEMENTS = ("id_ti", "siren_groupement", "lib_groupement")
SEPARATEUR_TERRITOIRES = ";"  # inside id_ti / lib_ti: "8401 ; 8402"
CODE_INSEE = re.compile(r"\d{5}|2[AB]\d{3}", re.ASCII)
FORME_ID_TI = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,9}")  # it becomes the end of a slug: ti1-8401
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
            lignes.append(f"Import refusé, rien n’a été modifié. {_n(len(self.erreurs))} erreur(s) :")
            lignes += [f"  {erreur}" for erreur in self.erreurs[:ERREURS_AFFICHEES]]
            if len(self.erreurs) > ERREURS_AFFICHEES:
                lignes.append(f"  … et {_n(len(self.erreurs) - ERREURS_AFFICHEES)} autres erreurs.")
            return lignes
        origine_epci = "fichier des groupements" if self.fichier_groupements else "déduits du référentiel"
        lignes += [
            f"{_n(self.lignes)} lignes lues, référentiel {self.millesime}.",
            f"{_n(self.territoires)} territoires : {_n(len(self.crees))} créés, {_n(len(self.modifies))} mis à jour, "
            f"{_n(len(self.inchanges))} inchangés.",
            f"{_n(self.communes)} communes dans les périmètres, {_n(self.liens_epci)} liens territoire–EPCI "
            f"({origine_epci}).",
        ]
        if self.doublons:
            lignes.append(
                f"{_n(self.doublons)} lignes désignent une commune déjà présente dans le même territoire "
                "(commune déléguée ou associée et son chef-lieu) : comptées une fois."
            )
        lignes.append(f"{_n(len(self.codes_inconnus))} codes inconnus du référentiel, ignorés :")
        lignes += [f"  ligne {c.ligne} : {c.code} {_entre_guillemets(c.lib_com)}" for c in self.codes_inconnus]
        lignes.append(f"{_n(len(self.codes_rattaches))} codes rattachés à leur chef-lieu :")
        lignes += [
            f"  ligne {c.ligne} : {c.code} {_entre_guillemets(c.lib_com)} → {c.chef_lieu} {c.chef_lieu_nom}"
            for c in self.codes_rattaches
        ]
        lignes += self.reconnus
        for identifiant, changements in self.modifies.items():
            lignes.append(f"Mis à jour {identifiant} : {' ; '.join(changements)}")
        if self.absents:
            lignes.append(
                f"{_n(len(self.absents))} territoires de la phase {self.phase} absents du fichier, conservés tels "
                f"quels : {', '.join(self.absents)}"
            )
        if self.change_rien:
            lignes.append("Aucun changement : la base était déjà à jour.")
        lignes.append(f"Durée : {self.duree:.1f} s.".replace(".", ",", 1))
        return lignes

    def __str__(self):
        return "\n".join(self.lignes_texte())


def importer_territoires(*, phase: int, fichier: Source, groupements: Source | None = None) -> RapportImport:
    """Import the perimeters of one phase. Returns the report; if it holds errors, nothing was written."""
    debut = time.perf_counter()
    rapport = RapportImport(
        phase=phase, fichier=_nom(fichier), fichier_groupements=_nom(groupements) if groupements else ""
    )
    try:
        if phase not in Phase.values:
            raise ImportRefuse([Erreur(f"phase {phase} inconnue ; phases possibles : {Phase.values}.")])
        lus, avec_ids = _lire_communes(fichier, rapport)
        if groupements and not avec_ids:
            raise ImportRefuse(
                [
                    Erreur(
                        "le fichier des groupements désigne les territoires par id_ti : le fichier des communes "
                        "doit alors avoir la colonne id_ti.",
                        1,
                        rapport.fichier,
                    )
                ]
            )
        epcis_lus = _lire_groupements(groupements, lus, rapport.fichier_groupements) if groupements else None
        voulus = _resoudre(lus, epcis_lus, rapport)
        with transaction.atomic():
            if not avec_ids:
                attribuer_codes(phase=phase, voulus=voulus, rapport=rapport)
            ecrire_perimetres(phase=phase, voulus=voulus, rapport=rapport, motif=f"Import du fichier {rapport.fichier}")
    except ImportRefuse as refus:
        rapport.erreurs = refus.erreurs
    rapport.duree = time.perf_counter() - debut
    return rapport


# Reading -------------------------------------------------------------------------------------------------------


@dataclass
class _TerritoireLu:
    code: str
    nom: str
    ligne: int
    communes: list[tuple[int, str, str]] = field(default_factory=list)  # (ligne, code INSEE, lib_com)


def _lire_communes(source: Source, rapport: RapportImport) -> tuple[dict[str, _TerritoireLu], bool]:
    """The territories of the file by id_ti (or by name key when the file has no id_ti), and whether it has ids."""
    nom_fichier = rapport.fichier
    lignes = _lire_csv(source, nom_fichier, COLONNES_COMMUNES, facultatives=(ID_TI,))
    avec_ids = bool(lignes) and ID_TI in lignes[0][1]
    rapport.lignes = len(lignes)
    erreurs: list[Erreur] = []
    territoires: dict[str, _TerritoireLu] = {}

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
                territoire = territoires.setdefault(cle_nom(nom), _TerritoireLu(code="", nom=nom, ligne=ligne))
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
            territoire = territoires.setdefault(id_ti, _TerritoireLu(code=id_ti, nom=nom, ligne=ligne))
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


def _lire_groupements(source: Source, territoires: dict[str, _TerritoireLu], nom_fichier: str) -> dict[str, set]:
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


# Resolving against the référentiel -----------------------------------------------------------------------------


@dataclass
class PerimetreVoulu:
    """What a territory should become: its name, its perimeter and what derives from it."""

    code: str
    nom: str
    perimetre: dict[str, tuple[str, bool]]  # commune code → (code_source, via_chef_lieu)
    epcis: set[str]
    departements: set[str]
    regions: set[str]
    population: int
    region_principale: str = ""  # the région holding most of the population: the prefix of a new code

    @classmethod
    def depuis(cls, *, code: str, nom: str, communes: Iterable[Commune], perimetre=None, epcis=None):
        """Départements, régions and population from the communes; EPCI too unless they are given."""
        communes = {commune.code: commune for commune in communes}
        population_par_region = Counter()
        for commune in communes.values():
            population_par_region[commune.region_id] += commune.population
        return cls(
            code=code,
            nom=nom,
            perimetre=perimetre if perimetre is not None else {c: (c, False) for c in communes},
            epcis=set(epcis) if epcis is not None else {c.epci_id for c in communes.values() if c.epci_id},
            departements={c.departement_id for c in communes.values()},
            regions={c.region_id for c in communes.values()},
            population=sum(c.population for c in communes.values()),
            region_principale=region_principale(population_par_region) if communes else "",
        )


def _resoudre(
    lus: dict[str, _TerritoireLu], epcis_lus: dict[str, set[str]] | None, rapport: RapportImport
) -> list[PerimetreVoulu]:
    """Map every code to a commune actuelle in one go, and derive each territory's EPCI, départements, régions."""
    resolutions = resoudre_communes({code for lu in lus.values() for _, code, _ in lu.communes})
    inconnus_vus, rattaches_vus = set(), set()
    voulus, erreurs = [], []
    for lu in sorted(lus.values(), key=lambda t: (t.code, cle_nom(t.nom))):
        perimetre: dict[str, tuple[str, bool]] = {}
        communes: dict[str, Commune] = {}
        for ligne, code, lib_com in lu.communes:
            resolution = resolutions.get(code)
            commune = resolution.commune if resolution else None
            if commune is None:
                if (ligne, code) not in inconnus_vus:
                    inconnus_vus.add((ligne, code))
                    rapport.codes_inconnus.append(CodeInconnu(ligne, code, lib_com))
                continue
            if resolution.via_chef_lieu and (ligne, code) not in rattaches_vus:
                rattaches_vus.add((ligne, code))
                rapport.codes_rattaches.append(CodeRattache(ligne, code, lib_com, commune.code, commune.nom))
            deja = perimetre.get(commune.code)
            if deja is not None:
                rapport.doublons += 1
                if not deja[1]:  # the commune itself is listed: keep that line over a déléguée's
                    continue
            perimetre[commune.code] = (code, resolution.via_chef_lieu)
            communes[commune.code] = commune
        if not perimetre:
            erreurs.append(
                Erreur(
                    f"aucune commune du territoire {' '.join(filter(None, [lu.code, f'« {lu.nom} »']))} "
                    "n’est connue du référentiel.",
                    lu.ligne,
                    rapport.fichier,
                )
            )
            continue
        epcis = epcis_lus[lu.code] if epcis_lus is not None else None
        voulus.append(
            PerimetreVoulu.depuis(
                code=lu.code, nom=lu.nom, communes=communes.values(), perimetre=perimetre, epcis=epcis
            )
        )
    if not any(r.commune for r in resolutions.values()):
        if not Commune.objects.exists():
            message = "le référentiel géographique est vide : importez d’abord le COG (manage.py import_cog)."
        else:
            message = "aucun code commune du fichier n’est connu du référentiel : vérifiez le fichier et le millésime."
        raise ImportRefuse([Erreur(message, None, rapport.fichier)])
    if erreurs:
        raise ImportRefuse(erreurs)
    rapport.codes_inconnus.sort(key=lambda c: c.ligne)
    rapport.codes_rattaches.sort(key=lambda c: c.ligne)
    millesime = Millesime.courant()
    rapport.millesime = str(millesime) if millesime else "COG"
    return voulus


# Writing -------------------------------------------------------------------------------------------------------


def ecrire_perimetres(*, phase: int, voulus: list[PerimetreVoulu], rapport: RapportImport, motif: str) -> None:
    """Create or update the phase's territories as `voulus` says, writing only the rows that differ.

    Call it inside a transaction. Governance, description, partners and missions are never touched.
    """
    existants = {t.code: t for t in Territoire.objects.filter(phase=phase).select_for_update()}
    etats = {"perimetre": _etat(CommuneTerritoire, phase, "commune_id", ("code_source", "via_chef_lieu"))}
    etats |= {nom: _etat(getattr(Territoire, nom).through, phase, champ) for nom, champ in _LIENS.items()}

    maintenant = timezone.now()
    nouveaux = Territoire.objects.bulk_create(
        Territoire(
            identifiant=Territoire.identifiant_pour(phase, v.code),
            code=v.code,
            phase=phase,
            nom=v.nom,
            nom_recherche=cle_recherche(v.nom),  # bulk_create bypasses save()
            population=v.population,
            modifie_le=maintenant,
        )
        for v in voulus
        if v.code not in existants
    )
    existants |= {t.code: t for t in nouveaux}
    crees = {t.code for t in nouveaux}

    a_supprimer: dict[str, list[int]] = defaultdict(list)
    a_creer: dict[str, list] = defaultdict(list)
    a_mettre_a_jour, journal = [], []
    for voulu in voulus:
        territoire = existants[voulu.code]
        changements = _changements_identite(territoire, voulu)
        ajouts, retraits = _diff(etats["perimetre"][territoire.pk], voulu.perimetre, a_supprimer["perimetre"])
        a_creer["perimetre"] += [
            CommuneTerritoire(territoire=territoire, commune_id=c, code_source=s, via_chef_lieu=v)
            for c, (s, v) in ajouts.items()
        ]
        if ajouts or retraits:
            changements.append(f"périmètre (+{len(ajouts)} −{len(retraits)} communes)")
        for nom, champ in _LIENS.items():
            voulues = dict.fromkeys(getattr(voulu, nom), ())
            ajouts, retraits = _diff(etats[nom][territoire.pk], voulues, a_supprimer[nom])
            through = getattr(Territoire, nom).through
            a_creer[nom] += [through(territoire_id=territoire.pk, **{champ: cle}) for cle in ajouts]
            if ajouts or retraits:
                changements.append(f"{_LIBELLES[nom]} (+{len(ajouts)} −{len(retraits)})")
        if voulu.code in crees:
            rapport.crees.append(territoire.identifiant)
            resume = [f"{len(voulu.perimetre)} communes", f"{len(voulu.epcis)} EPCI"]
            journal.append((territoire, "territoire_cree_par_import", resume))
        elif changements:
            territoire.nom, territoire.nom_recherche = voulu.nom, cle_recherche(voulu.nom)
            territoire.population = voulu.population
            territoire.modifie_le = maintenant
            a_mettre_a_jour.append(territoire)
            rapport.modifies[territoire.identifiant] = changements
            journal.append((territoire, "territoire_mis_a_jour_par_import", changements))
        else:
            rapport.inchanges.append(territoire.identifiant)
        rapport.communes += len(voulu.perimetre)
        rapport.liens_epci += len(voulu.epcis)

    Territoire.objects.bulk_update(a_mettre_a_jour, ["nom", "nom_recherche", "population", "modifie_le"])
    modeles = {"perimetre": CommuneTerritoire} | {nom: getattr(Territoire, nom).through for nom in _LIENS}
    for nom, modele in modeles.items():
        for debut in range(0, len(a_supprimer[nom]), 5000):  # SQLite bounds the parameters of one query
            modele.objects.filter(pk__in=a_supprimer[nom][debut : debut + 5000]).delete()
        modele.objects.bulk_create(a_creer[nom], batch_size=2000)
    if nouveaux or a_mettre_a_jour:
        recalculer_filiations()
    invalider()  # bulk writes send no signal (ti/core/invalidation.py)
    # One audit row per territory created or changed: an identical re-run writes none.
    for territoire, action, changements in journal:
        journaliser(
            acteur=None,
            action=action,
            objet=territoire,
            details={"phase": phase, "fichier": rapport.fichier, "changements": changements},
            motif=motif,
        )
    dans_le_fichier = {v.code for v in voulus}
    rapport.absents = sorted(t.identifiant for code, t in existants.items() if code not in dans_le_fichier)


_LIENS = {"epcis": "epci_id", "departements": "departement_id", "regions": "region_id"}
_LIBELLES = {"epcis": "EPCI", "departements": "départements", "regions": "régions"}


def _etat(modele, phase: int, champ: str, valeurs: tuple[str, ...] = ()) -> dict[int, dict]:
    """For each territory of the phase: {key: (pk, *values)} of its rows in a link table, in one query."""
    etat: dict[int, dict] = defaultdict(dict)
    lignes = modele.objects.filter(territoire__phase=phase).values_list("territoire_id", champ, "pk", *valeurs)
    for territoire_id, cle, pk, *reste in lignes:
        etat[territoire_id][cle] = (pk, *reste)
    return etat


def _diff(existant: dict, voulu: dict, a_supprimer: list[int]) -> tuple[dict, list]:
    """Rows to add ({key: values}) and removed keys; the pks of rows to delete go to `a_supprimer`."""
    retraits = []
    for cle, (pk, *valeurs) in existant.items():
        if cle not in voulu or tuple(valeurs) != tuple(voulu[cle]):
            a_supprimer.append(pk)
            retraits.append(cle)
    ajouts = {cle: valeurs for cle, valeurs in voulu.items() if cle not in existant or cle in retraits}
    return ajouts, retraits


def _changements_identite(territoire: Territoire, voulu: PerimetreVoulu) -> list[str]:
    changements = []
    if territoire.nom != voulu.nom:
        changements.append(f"nom « {territoire.nom} » → « {voulu.nom} »")
    if territoire.population != voulu.population:
        changements.append(f"population {_n(territoire.population)} → {_n(voulu.population)}")
    return changements


def _nom(source: Source | None) -> str:
    if source is None:
        return ""
    return Path(getattr(source, "name", None) or str(source)).name


def _entre_guillemets(nom: str) -> str:
    return f"« {nom} »" if nom else "(sans nom dans le fichier)"


def _n(nombre: int) -> str:
    return f"{nombre:,}".replace(",", " ")
