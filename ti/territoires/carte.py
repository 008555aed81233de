"""The map of France by département, from the shipped SVG (MapSVG, CC BY 4.0).

The outlines (~120 Ko) are served once as a static file, `territoires/carte-departements.svg`, derived from
`data/maps/france.departments.svg` and kept by the browser (hashed name, long cache); each page only writes a small
SVG that draws that file with `<use>`, then draws the départements to highlight over it. No JavaScript and no map
tiles: the map is a picture with a text alternative.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

FICHIER = settings.DONNEES_DIR / "maps" / "france.departments.svg"
STATIQUE = "territoires/carte-departements.svg"
FICHIER_STATIQUE = Path(__file__).resolve().parent / "static" / STATIQUE
_SVG = "{http://www.w3.org/2000/svg}"
CLASSE_ACTIVE = "ti-carte__actif"
CREDIT_URL = "https://creativecommons.org/licenses/by/4.0/deed.fr"
GROUPE = "departements"  # id of the group of all outlines in the static file


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

    @property
    def noms(self) -> dict[str, str]:
        return {trace.code: trace.nom for trace in self.traces}


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


def id_du_trace(code: str) -> str:
    """The id of a département's outline in the static file (« d-36 »: an id is better not a bare number)."""
    return f"d-{code}"


def contenu_statique() -> str:
    """The static file's text, from the shipped SVG: every outline in one group, each with an id and its name.

    Outlines carry no colour: a `<use>` gives them its own (inherited), set by the page's CSS, dark mode
    included. The root's colours only serve when the file is opened on its own.
    """
    fond = fond_de_carte()
    chemins = "\n".join(
        f'<path id="{id_du_trace(t.code)}" d="{escape(t.d)}"><title>{escape(t.nom)}</title></path>' for t in fond.traces
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Carte des départements de France métropolitaine : MapSVG (https://mapsvg.com/), licence CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/deed.fr), couleurs retirées. "
        "Fichier dérivé de data/maps/france.departments.svg par ti/territoires/carte.py (contenu_statique). -->\n"
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{fond.viewbox}" fill="#dddddd" stroke="#929292" '
        f'stroke-width="0.5">\n<g id="{GROUPE}">\n{chemins}\n</g>\n</svg>\n'
    )


def ecrire_fichier_statique() -> Path:
    """Regenerate the static file after a change of the shipped SVG (a test checks they agree)."""
    FICHIER_STATIQUE.parent.mkdir(parents=True, exist_ok=True)
    FICHIER_STATIQUE.write_text(contenu_statique(), encoding="utf-8")
    return FICHIER_STATIQUE


def hors_carte(codes: Iterable[str]) -> list[str]:
    """The codes that the map does not draw (overseas départements: 971 to 976)."""
    dessines = fond_de_carte().codes
    return sorted(code for code in codes if code not in dessines)


def carte_svg(codes_actifs: Iterable[str], *, titre: str, description: str, identifiant: str) -> SafeString:
    """The page's SVG: the static map, then `codes_actifs` drawn over it with a class; `titre` and `description`
    are its accessible name and text. A few hundred bytes, whatever the map.

    `identifiant` prefixes the ids of <title> and <desc>, so that two maps on one page do not clash.
    """
    fond = fond_de_carte()
    noms = fond.noms
    url = static(STATIQUE)
    # Highlighted départements are drawn last, so that their outline is not hidden by a neighbour's.
    codes = sorted(code for code in set(codes_actifs) if code in noms)
    actifs = format_html_join(
        "",
        '<use href="{}#{}" data-code="{}" class="{}"><title>{}</title></use>',
        ((url, id_du_trace(code), code, CLASSE_ACTIVE, noms[code]) for code in codes),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{viewbox}" role="img" focusable="false" '
        'aria-labelledby="{id}-titre {id}-desc"><title id="{id}-titre">{titre}</title>'
        '<desc id="{id}-desc">{description}</desc><use href="{url}#{groupe}"></use>{actifs}</svg>',
        viewbox=fond.viewbox,
        id=identifiant,
        titre=titre,
        description=description,
        url=url,
        groupe=GROUPE,
        actifs=actifs,
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
