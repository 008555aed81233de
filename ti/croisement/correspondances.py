"""What the cross-file tool adds to a commune: every commune actuelle's territories, EPCI, département and région,
read once from the database into dictionaries, and the codes that lead to a commune actuelle.

Five queries build it (communes with their EPCI, département and région; perimeters of the territories of every
phase loaded; communes rattachées; départements; millésime); then each row of a file costs a dictionary lookup. The
result is kept per process for the current data generation (`ti.core.cache.generation`), which every write to the
communes or to the perimeters bumps: a re-import of the territories is seen by the next request.

Former codes: the référentiel stores communes déléguées, associées and arrondissements municipaux
(`CommuneRattachee`), not the codes of communes merged without a commune déléguée. The COG files shipped in
`data/cog-AAAA/` list them (`anciensCodes`): they are read from the file of the current millésime when it is there
(2 248 more codes for COG 2026). Older codes of communes that changed département or were recreated are not covered.
"""

import functools
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import F

from ti.core.cache import generation
from ti.core.texte import cle_recherche
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Millesime
from ti.territoires.models import CommuneTerritoire, Phase

SEPARATEUR = " ; "  # several territories in one cell, as the ANCT files join them
TYPES_RATTACHEES = dict(CommuneRattachee.Type.choices)


@dataclass(frozen=True)
class Renvoi:
    """A code that is not a commune actuelle but leads to one, and the sentence that says how."""

    code_actuel: str
    motif: str


@dataclass
class Correspondances:
    millesime: int | None
    valeurs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code actuel → the added values
    renvois: dict[str, Renvoi] = field(default_factory=dict)  # former, délégué… code → commune actuelle
    par_nom: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (département, name key) → codes
    departements: dict[str, str] = field(default_factory=dict)  # code or name key → code


# The values added for a commune actuelle, in this order (after its code, which `croiser` writes itself).
COLONNES_COMMUNE = (
    "ti_nom_commune",
    "ti_temps1_identifiants",
    "ti_temps1_noms",
    "ti_temps2_identifiants",
    "ti_temps2_noms",
    "ti_epci_siren",
    "ti_epci_nom",
    "ti_departement_code",
    "ti_departement_nom",
    "ti_region_code",
    "ti_region_nom",
)

_memoire: dict[int, Correspondances] = {}


def correspondances() -> Correspondances:
    """The dictionaries for the current data generation, built at most once per generation and process."""
    cle = generation()  # read before building: built during a write, the result is stored under the old one
    valeur = _memoire.get(cle)
    if valeur is None:
        valeur = construire()
        _memoire.clear()  # one generation at a time: the previous one is stale
        _memoire[cle] = valeur
    return valeur


def construire() -> Correspondances:
    annee = Millesime.objects.values_list("annee", flat=True).order_by("-annee").first()
    resultat = Correspondances(millesime=annee)
    partage: dict[str, str] = {}  # one string object per distinct name: 35 000 rows share a hundred départements

    def _p(texte) -> str:
        texte = texte or ""
        return partage.setdefault(texte, texte)

    territoires = defaultdict(lambda: ([], [], [], []))  # code → ids I, names I, ids II, names II
    for code, phase, identifiant, nom in CommuneTerritoire.objects.values_list(
        "commune_id", "territoire__phase", "territoire__identifiant", "territoire__nom"
    ).order_by("territoire__identifiant"):
        rang = 0 if phase == Phase.TEMPS_1 else 2
        territoires[code][rang].append(identifiant)
        territoires[code][rang + 1].append(nom)

    communes = Commune.objects.values_list(
        "code", "nom", "nom_recherche", "departement_id", "departement__nom", "region_id", "region__nom", "epci_id",
        "epci__nom",
    )  # fmt: skip
    for code, nom, cle, dep, dep_nom, reg, reg_nom, siren, epci_nom in communes:
        ti = territoires.get(code, ([], [], [], []))
        resultat.valeurs[code] = (
            nom,
            *(_p(SEPARATEUR.join(liste)) for liste in ti),
            _p(siren),
            _p(epci_nom),
            _p(dep),
            _p(dep_nom),
            _p(reg),
            _p(reg_nom),
        )
        resultat.par_nom.setdefault((dep, cle), []).append(code)

    noms_actuels = set(resultat.par_nom)
    # Same rule as `resoudre_communes`: a rattachée that shares its code with its own chef-lieu changes nothing;
    # one whose chef-lieu is another commune wins over a commune actuelle kept after a merger.
    rattachees = (
        CommuneRattachee.objects.exclude(chef_lieu_id=F("code"))
        .values_list("code", "type", "nom", "chef_lieu_id", "chef_lieu__departement_id")
        .order_by("code", "type")
    )
    for code, type_, nom, chef_lieu, dep in rattachees:
        motif = f"{TYPES_RATTACHEES[type_].lower()} {nom} ({code}), rattachée à {chef_lieu}"
        resultat.renvois.setdefault(code, Renvoi(chef_lieu, motif))
        cle = (dep, cle_recherche(nom))
        if cle not in noms_actuels:  # a commune actuelle's name wins; two rattachées of one name are ambiguous
            chefs_lieux = resultat.par_nom.setdefault(cle, [])
            if chef_lieu not in chefs_lieux:
                chefs_lieux.append(chef_lieu)
    for ancien, actuel in anciens_codes(annee).items():
        if ancien not in resultat.renvois and actuel in resultat.valeurs:
            resultat.renvois[ancien] = Renvoi(actuel, f"ancien code {ancien}, commune fusionnée dans {actuel}")

    for code, nom in Departement.objects.values_list("code", "nom"):
        resultat.departements[code] = code
        resultat.departements[cle_recherche(nom)] = code
    return resultat


def anciens_codes(annee: int | None) -> dict[str, str]:
    """Former code → commune actuelle, from the shipped COG file of that millésime ({} when it is not shipped)."""
    chemin = settings.DONNEES_DIR / f"cog-{annee}" / "communes.json.gz"
    if annee is None or not chemin.is_file():
        return {}
    return _anciens_codes_du_fichier(chemin, chemin.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _anciens_codes_du_fichier(chemin: Path, _version: int) -> dict[str, str]:
    """Read once per process (a second to decode 37 000 records); a new file (other mtime) is read again."""
    with gzip.open(chemin) as flux:
        communes = json.load(flux)
    return {
        ancien: commune["code"]
        for commune in communes
        if commune.get("type") == "commune-actuelle"
        for ancien in commune.get("anciensCodes") or ()
        if ancien != commune["code"]
    }
