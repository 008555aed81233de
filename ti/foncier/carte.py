"""The sites on the map of France: a dot per site over the shipped départements (ti.territoires.carte), placed by
its longitude and latitude. No tiles and no outside service: the map renders offline.

The shipped SVG carries no projection. Its départements follow Mercator: fitted on the extreme points of Finistère,
Bas-Rhin, Nord and Corse-du-Sud, the other départements' extremes fall within 2 units of the drawing (of 613)."""

import math

from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ti.territoires.carte import CREDIT_URL, GROUPE, STATIQUE, fond_de_carte

# Calibration (decision 0042): x = X0 + PAS_X × (lon − LON0); y = Y0 + PAS_Y × (mercator(LAT0) − mercator(lat)).
LON0, X0, PAS_X = -4.795, 0.2, 42.75  # Pointe de Corsen (Finistère) at x = 0.2; Lauterbourg (8.23° E) at 557
LAT0, Y0, PAS_Y = 51.089, 0.3, 2363.46  # Bray-Dunes (Nord) at y = 0.3; Cap Pertusato (41.333° N) at 584.1


def _mercator(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def projeter(longitude: float, latitude: float) -> tuple[float, float]:
    """The point of the drawing for a longitude and a latitude (WGS 84)."""
    return X0 + PAS_X * (longitude - LON0), Y0 + PAS_Y * (_mercator(LAT0) - _mercator(latitude))


def sur_la_carte(x: float, y: float) -> bool:
    largeur, hauteur = (float(v) for v in fond_de_carte().viewbox.split()[2:])
    return 0 <= x <= largeur and 0 <= y <= hauteur


PLAFOND = 500  # dots on one map: beyond, the page grows heavy and the dots unreadable; the search narrows it


def carte_des_sites(sites, *, titre: str, identifiant: str = "carte-sites", total: int | None = None) -> dict:
    """What `foncier/_carte.html` needs: the SVG with a dot per site placed, and the sites it could not place.

    At most PLAFOND sites are read; `total`, the number of sites of the search, says how many were left out."""
    sites = list(sites[:PLAFOND])
    places, absents = [], []
    for site in sites:
        if site.longitude is None or site.latitude is None:
            absents.append(site)
            continue
        x, y = projeter(site.longitude, site.latitude)
        if sur_la_carte(x, y):
            places.append((site, x, y))
        else:
            absents.append(site)
    points = format_html_join(
        "",
        '<circle class="ti-carte__site" cx="{}" cy="{}" r="6"><title>{}</title></circle>',
        ((f"{x:.1f}", f"{y:.1f}", f"{site.nom} ({site.commune.nom})") for site, x, y in places),
    )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{viewbox}" role="img" focusable="false" '
        'aria-labelledby="{id}-titre {id}-desc"><title id="{id}-titre">{titre}</title>'
        '<desc id="{id}-desc">{description}</desc><use href="{url}#{groupe}"></use>{points}</svg>',
        viewbox=fond_de_carte().viewbox,
        id=identifiant,
        titre=titre,
        description=_description(len(places)),
        url=static(STATIQUE),
        groupe=GROUPE,
        points=points,
    )
    return {
        "svg": SafeString(svg),
        "places": len(places),
        "hors_carte": absents,
        "laisses": max((total or 0) - len(sites), 0),
        "plafond": PLAFOND,
        "credit_url": CREDIT_URL,
    }


def _description(nombre: int) -> str:
    if nombre == 0:
        return "Aucun site placé sur la carte."
    pluriel = "s" if nombre > 1 else ""
    return f"{nombre} site{pluriel} placé{pluriel} sur la carte de France ; la liste qui suit la carte les détaille."
