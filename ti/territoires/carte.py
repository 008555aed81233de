"""The map of France by département, drawn on the server from the shipped SVG (MapSVG, CC BY 4.0).

The file is read and parsed once per process; each page then writes the paths inline, with the départements to
highlight carrying a class. No JavaScript and no map tiles: the map is a picture with a text alternative.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from xml.etree import ElementTree

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

FICHIER = settings.DONNEES_DIR / "maps" / "france.departments.svg"
_SVG = "{http://www.w3.org/2000/svg}"
CLASSE_ACTIVE = "ti-carte__actif"
CREDIT_URL = "https://creativecommons.org/licenses/by/4.0/deed.fr"


@dataclass(frozen=True)
class Trace:
    code: str
    nom: str
    d: str


@dataclass(frozen=True)
class FondDeCarte:
    viewbox: str
    traces: tuple[Trace, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(trace.code for trace in self.traces)


@cache
def fond_de_carte() -> FondDeCarte:
    """The départements of metropolitan France as drawn in the SVG: code (the path's id), name, outline."""
    racine = ElementTree.parse(FICHIER).getroot()
    traces = tuple(
        Trace(code=chemin.get("id", ""), nom=chemin.get("aria-label", ""), d=chemin.get("d", ""))
        for chemin in racine.iter(f"{_SVG}path")
        if chemin.get("id") and chemin.get("d")
    )
    return FondDeCarte(viewbox=racine.get("viewBox", "0 0 613 585"), traces=traces)


def hors_carte(codes: Iterable[str]) -> list[str]:
    """The codes that the map does not draw (overseas départements: 971 to 976)."""
    dessines = fond_de_carte().codes
    return sorted(code for code in codes if code not in dessines)


def carte_svg(codes_actifs: Iterable[str], *, titre: str, description: str, identifiant: str) -> SafeString:
    """The inline SVG, with `codes_actifs` highlighted; `titre` and `description` are its accessible name and text.

    `identifiant` prefixes the ids of <title> and <desc>, so that two maps on one page do not clash.
    """
    actifs = set(codes_actifs)
    fond = fond_de_carte()
    # Highlighted départements are drawn last, so that their outline is not hidden by a neighbour's.
    traces = sorted(fond.traces, key=lambda trace: trace.code in actifs)
    chemins = format_html_join(
        "",
        '<path d="{}" data-code="{}"{}><title>{}</title></path>',
        (
            (trace.d, trace.code, format_html(' class="{}"', CLASSE_ACTIVE) if trace.code in actifs else "", trace.nom)
            for trace in traces
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{viewbox}" role="img" focusable="false" '
        'aria-labelledby="{id}-titre {id}-desc"><title id="{id}-titre">{titre}</title>'
        '<desc id="{id}-desc">{description}</desc>{chemins}</svg>',
        viewbox=fond.viewbox,
        id=identifiant,
        titre=titre,
        description=description,
        chemins=chemins,
    )


def carte_des_departements(departements, *, titre: str, identifiant: str = "carte") -> dict:
    """What `territoires/_carte.html` needs: the SVG (or None when nothing is drawable) and the text alternative.

    `departements` are `Departement` rows (code and name).
    """
    departements = sorted(departements, key=lambda departement: departement.code)
    absents = set(hors_carte(departement.code for departement in departements))
    dessines = [departement for departement in departements if departement.code not in absents]
    liste = ", ".join(f"{departement.nom} ({departement.code})" for departement in dessines)
    svg = None
    if dessines:
        svg = carte_svg(
            (departement.code for departement in dessines),
            titre=titre,
            description=f"Départements mis en évidence : {liste}.",
            identifiant=identifiant,
        )
    return {
        "svg": svg,
        "identifiant": identifiant,
        "dessines": dessines,
        "hors_carte": [departement for departement in departements if departement.code in absents],
        "credit_url": CREDIT_URL,
    }
