"""Demo sites clés en main in Centre-Val de Loire phase 2 territories, for `manage.py charger_demo`.

Invented sites placed in real communes of the demo perimeters (their territories follow from the commune): the
names say « démonstration » and nothing here is an official list of laureates."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ti.core.models import journaliser
from ti.foncier.models import Conditions, Site, StatutSite, Terrain, Vague
from ti.referentiel.models import Commune


class DonneesManquantes(Exception):
    """A commune the demo needs is missing (COG 2026 not imported?)."""


@dataclass(frozen=True)
class SiteDemo:
    numero: int
    commune: str  # INSEE code, in a demo territory's perimeter
    nom: str
    surface_brute: str
    surface_utile: str
    longitude: float
    latitude: float
    vague: str
    statut: str
    dans_mois: int | None  # None: available at once
    rail: bool = False
    port: bool = False
    puissance_mw: str | None = None
    procedures: bool = True  # ICPE, archaeology and four-season inventory done
    description: str = ""


SITES = (
    SiteDemo(
        1,
        "45004",
        "Parc industriel des Terres Blanches (démonstration)",
        "34",
        "28",
        2.771,
        47.975,
        Vague.FRANCE_2030,
        StatutSite.LABELLISE,
        None,
        rail=True,
        puissance_mw="40",
        description="Site labellisé clé en main, embranché sur la ligne fret Montargis–Sens, à 5 km de l’A77.",
    ),
    SiteDemo(
        2,
        "36063",
        "Écoparc de l’aéroport (démonstration)",
        "52",
        "45",
        1.716,
        46.852,
        Vague.FRANCE_2030,
        StatutSite.LABELLISE,
        9,
        puissance_mw="25",
        description="Grandes emprises près de l’aéroport de Châteauroux-Centre, desserte par l’A20.",
    ),
    SiteDemo(
        3,
        "18279",
        "Zone du Vieux Domaine (démonstration)",
        "14",
        "12",
        2.068,
        47.238,
        Vague.PACK_REBOND,
        StatutSite.COMMERCIALISE,
        None,
        rail=True,
        puissance_mw="12",
    ),
    SiteDemo(
        4,
        "28134",
        "Plateau nord de Dreux (démonstration)",
        "9",
        "8",
        1.366,
        48.752,
        Vague.PACK_REBOND,
        StatutSite.IDENTIFIE,
        24,
        procedures=False,
    ),
)


def identifiant(site: SiteDemo) -> str:
    return f"{site.commune}_SITE-ECO_{90000 + site.numero:05d}"  # the 9xxxx range: never a real site's number


def _carre(longitude: float, latitude: float) -> str:
    """A small square around the point: the standard requires a perimeter, the demo has none to draw."""
    d = 0.004
    anneau = [
        [longitude - d, latitude - d],
        [longitude + d, latitude - d],
        [longitude + d, latitude + d],
        [longitude - d, latitude + d],
        [longitude - d, latitude - d],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [anneau]})


@transaction.atomic
def charger_sites_demo() -> list[Site]:
    """Create or update the demo sites (found by their identifiers); returns those created."""
    communes = Commune.objects.in_bulk([s.commune for s in SITES])
    manquantes = sorted({s.commune for s in SITES} - communes.keys())
    if manquantes:
        raise DonneesManquantes(f"Communes introuvables ({', '.join(manquantes)}) : importez d’abord le COG 2026.")
    aujourd_hui = timezone.localdate()
    crees = []
    for demo in SITES:
        commune = communes[demo.commune]
        site, cree = Site.objects.update_or_create(
            identifiant=identifiant(demo),
            defaults={
                "pole_id": f"{demo.commune}_POLE-ECO_{90000 + demo.numero:05d}",
                "nom": demo.nom,
                "vocation": "industrie",
                "etat": "en commercialisation" if demo.statut != StatutSite.IDENTIFIE else "en projet",
                "surface_brute": Decimal(demo.surface_brute),
                "surface_utile": Decimal(demo.surface_utile),
                "surface_disponible": Decimal(demo.surface_utile),
                "date_identification": date(2023, 6, 1),
                "date_actualisation": date(2026, 11, 1),
                "description": demo.description,
                "commune": commune,
                "epci_id": commune.epci_id,
                "moa_type": "EPCI",
                "proprietaire": commune.epci.nom if commune.epci_id else "",
                "longitude": demo.longitude,
                "latitude": demo.latitude,
                "complements": {"site_geomsurf": _carre(demo.longitude, demo.latitude)},
                "vague": demo.vague,
                "statut": demo.statut,
                "disponible_immediatement": demo.dans_mois is None,
                "disponible_le": None if demo.dans_mois is None else aujourd_hui + timedelta(days=30 * demo.dans_mois),
                "icpe_purgee": demo.procedures,
                "archeologie_purgee": demo.procedures,
                "inventaire_quatre_saisons": demo.procedures,
                "zonage_urbanisme": "1AUi",
                "conditions": Conditions.VENTE_OU_LOCATION,
                "embranchement_fer": demo.rail,
                "acces_portuaire": demo.port,
                "puissance_mw": Decimal(demo.puissance_mw) if demo.puissance_mw else None,
                "eau": True,
                "tres_haut_debit": True,
                "contact_organisme": commune.epci.nom if commune.epci_id else "",
            },
        )
        _terrains(site, demo)
        if cree:
            journaliser(acteur=None, action="foncier.demo_site", objet=site, details={"identifiant": site.identifiant})
            crees.append(site)
    return crees


def _terrains(site: Site, demo: SiteDemo) -> None:
    """Two plots that share the site's useful surface."""
    moitie = Decimal(demo.surface_utile) / 2
    for rang in (1, 2):
        Terrain.objects.update_or_create(
            identifiant=f"{demo.commune}_TERRAIN-ECO_{90000 + demo.numero * 10 + rang:05d}",
            defaults={
                "site": site,
                "surface_brute": moitie,
                "date_identification": date(2023, 6, 1),
                "date_actualisation": date(2026, 11, 1),
                "maitrise_fonciere": "structure intercommunale",
                "stade_amenagement": "viabilisé et aménagé" if demo.procedures else "non aménagé",
                "stade_commercialisation": "en commercialisation",
                "etat_occupation": "non occupé",
                "usage": "terrain nu",
                "cle_en_main": demo.procedures,
                "complements": {"terr_geomsurf": _carre(demo.longitude, demo.latitude)},
            },
        )
