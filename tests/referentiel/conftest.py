"""A small découpage administratif in the Etalab format, written to disk the way the real one is shipped."""

import copy
import gzip
import json
from pathlib import Path

import pytest

from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Millesime, Region

MONTARGOISE = "244500203"

_COG_MINIMAL = {
    "regions": [
        {"code": "24", "chefLieu": "45234", "nom": "Centre-Val de Loire", "typeLiaison": 2, "zone": "metro"},
        {"code": "53", "chefLieu": "35238", "nom": "Bretagne", "typeLiaison": 0, "zone": "metro"},
        {"code": "975", "chefLieu": "97502", "nom": "Saint-Pierre-et-Miquelon", "typeLiaison": 0, "zone": "com"},
    ],
    "departements": [
        {"code": "45", "region": "24", "chefLieu": "45234", "nom": "Loiret", "typeLiaison": 2, "zone": "metro"},
        {"code": "29", "region": "53", "chefLieu": "29232", "nom": "Finistère", "typeLiaison": 2, "zone": "metro"},
        {"code": "975", "region": "975", "chefLieu": "97502", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
    ],
    "epci": [
        {
            "code": MONTARGOISE,
            "nom": "CA Montargoise et Rives du Loing (AME)",
            "type": "CA",
            "modeFinancement": "FPU",
            "populationTotale": 62000,
            "populationMunicipale": 61000,
            "membres": [{"code": "45208", "nom": "Montargis"}, {"code": "45004", "nom": "Amilly"}],
        },
    ],
    "communes": [
        {
            "code": "45208",
            "nom": "Montargis",
            "type": "commune-actuelle",
            "departement": "45",
            "region": "24",
            "zone": "metro",
            "siren": "214502080",
            "codesPostaux": ["45200"],
            "population": 14826,
        },
        {
            "code": "45004",
            "nom": "Amilly",
            "type": "commune-actuelle",
            "departement": "45",
            "region": "24",
            "zone": "metro",
            "siren": "214500043",
            "codesPostaux": ["45200"],
            "population": 13500,
        },
        {
            "code": "45191",
            "nom": "Le Malesherbois",
            "type": "commune-actuelle",
            "departement": "45",
            "region": "24",
            "zone": "metro",
            "siren": "200060952",
            "codesPostaux": ["45300", "45330"],
            "population": 8300,
        },
        {
            "code": "45191",
            "nom": "Malesherbes",
            "type": "commune-deleguee",
            "chefLieu": "45191",
            "departement": "45",
            "region": "24",
            "zone": "metro",
        },
        {
            "code": "45028",
            "nom": "Coudray",
            "type": "commune-deleguee",
            "chefLieu": "45191",
            "departement": "45",
            "region": "24",
            "zone": "metro",
        },
        {
            "code": "29155",
            "nom": "Ouessant",
            "type": "commune-actuelle",
            "departement": "29",
            "region": "53",
            "zone": "metro",
            "siren": "212901557",
            "codesPostaux": ["29242"],
            "population": 850,
        },
        {
            "code": "97502",
            "nom": "Saint-Pierre",
            "type": "commune-actuelle",
            "departement": "975",
            "region": "975",
            "zone": "com",
            "codesPostaux": ["97500"],
            "population": 5194,
        },
    ],
}


def cog_minimal() -> dict[str, list]:
    """A fresh copy, to be altered freely by a test."""
    return copy.deepcopy(_COG_MINIMAL)


def ecrire_cog(dossier: Path, contenus: dict[str, list], *, compresse: bool = True) -> Path:
    dossier.mkdir(parents=True, exist_ok=True)
    for nom, contenu in contenus.items():
        texte = json.dumps(contenu, ensure_ascii=False).encode()
        if compresse:
            (dossier / f"{nom}.json.gz").write_bytes(gzip.compress(texte))
        else:
            (dossier / f"{nom}.json").write_bytes(texte)
    return dossier


def etat_du_referentiel() -> dict[str, list]:
    """Every row of the référentiel, to compare before and after a refused import."""
    return {
        modele.__name__: sorted(modele.objects.values_list(*[f.attname for f in modele._meta.concrete_fields]))
        for modele in (Region, Departement, Epci, Commune, CommuneRattachee, Millesime)
    }


@pytest.fixture
def cog_2026(tmp_path) -> Path:
    return ecrire_cog(tmp_path / "cog-2026", cog_minimal())
