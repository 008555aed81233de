"""The map of France by département, from the shipped SVG (MapSVG, CC BY 4.0).

The outlines (~120 Ko) are served once as a static file, `territoires/carte-departements.svg`, derived from
`data/maps/france.departments.svg` and kept by the browser (hashed name, long cache). A page shows that file as a
lazy image (fetched only once the map nears the screen, not with the first screen's sheets and fonts), and draws
over it, inline, only the départements it highlights, with the map's accessible name and description
(docs/decisions/0071-poids-page-territoire.md). No JavaScript and no map tiles: the map is a picture with a text
alternative.
"""

import re
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
# (fill, stroke) of the outlines: the DSFR's --background-contrast-grey and --border-default-grey, light and dark.
FOND_CLAIR = ("#eeeeee", "#dddddd")
FOND_SOMBRE = ("#242424", "#353535")


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


def _nombre(valeur: float, decimales: int) -> str:
    texte = f"{valeur:.{decimales}f}"
    if decimales:
        texte = texte.rstrip("0").rstrip(".")
    return "0" if texte in ("", "-0") else texte


def arrondir(d: str, decimales: int = 1) -> str:
    """An outline with its points to `decimales` decimals of a unit (a tenth: ~0.1 px on a phone), instead of the
    shipped five. The shipped outlines are relative (« m », then pairs, « z »): points are made absolute and rounded,
    then written again as the differences of the rounded points, so that no rounding error adds up along an outline."""
    x = y = 0.0  # the current point, exact
    depart = (0.0, 0.0)  # where the subpath started, for « z »
    ecrit = (0.0, 0.0)  # the last point written, rounded
    sortie: list[str] = []
    for jeton in re.findall(r"[mz]|-?[\d.]+,-?[\d.]+", d):
        if jeton == "z":
            sortie.append("z")
            x, y = depart
            ecrit = (round(x, decimales), round(y, decimales))
            continue
        if jeton == "m":
            sortie.append("m")
            debut_de_sous_chemin = True
            continue
        dx, dy = (float(v) for v in jeton.split(","))
        x, y = x + dx, y + dy
        point = (round(x, decimales), round(y, decimales))
        if debut_de_sous_chemin:
            depart = (x, y)
        elif point == ecrit:
            continue  # a point that rounding merges with the previous one
        sortie.append(f"{_nombre(point[0] - ecrit[0], decimales)},{_nombre(point[1] - ecrit[1], decimales)}")
        ecrit = point
        debut_de_sous_chemin = False
    return " ".join(sortie)


@cache
def fond_de_carte() -> FondDeCarte:
    """The départements of metropolitan France as drawn in the SVG: code (the path's id), name, outline."""
    racine = ElementTree.parse(FICHIER).getroot()
    traces = tuple(
        Trace(code=chemin.get("id", ""), nom=chemin.get("aria-label", ""), d=arrondir(chemin.get("d", "")))
        for chemin in racine.iter(f"{_SVG}path")
        if chemin.get("id") and chemin.get("d")
    )
    return FondDeCarte(viewbox=racine.get("viewBox", "0 0 613 585"), traces=traces)


def id_du_trace(code: str) -> str:
    """The id of a département's outline in the static file (« d-36 »: an id is better not a bare number)."""
    return f"d-{code}"


def contenu_statique() -> str:
    """The static file's text, from the shipped SVG: every outline in one group, each with an id and its name.

    Shown as an image, it takes its colours from the root: the DSFR's grey contrast background and default border,
    light or dark as the system says (the pages' scheme is « system »). Outlines carry no colour of their own, so
    that a `<use>` of the group (the sites' map, ti/foncier/carte.py) gives them the page's.
    """
    fond = fond_de_carte()
    # To the unit (~0.6 px on a phone): grey on grey under the highlighted départements, which the page draws to the
    # tenth; the file is then less than half as heavy (27 → 12 Ko compressed).
    chemins = "\n".join(
        f'<path id="{id_du_trace(t.code)}" d="{escape(arrondir(t.d, 0))}"><title>{escape(t.nom)}</title></path>'
        for t in fond.traces
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Carte des départements de France métropolitaine : MapSVG (https://mapsvg.com/), licence CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/deed.fr), couleurs du DSFR. "
        "Fichier dérivé de data/maps/france.departments.svg par ti/territoires/carte.py (contenu_statique). -->\n"
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{fond.viewbox}" fill="{FOND_CLAIR[0]}" '
        f'stroke="{FOND_CLAIR[1]}" stroke-width="0.5">\n'
        f"<style>@media (prefers-color-scheme: dark) {{ svg {{ fill: {FOND_SOMBRE[0]}; stroke: {FOND_SOMBRE[1]}; }} }}"
        f'</style>\n<g id="{GROUPE}">\n{chemins}\n</g>\n</svg>\n'
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
    """The page's map: the static file as a lazy image without text of its own (alt=""), then over it an SVG of
    `codes_actifs` alone, drawn with a class, whose `titre` and `description` are the map's accessible name and text.

    `identifiant` prefixes the ids of <title> and <desc>, so that two maps on one page do not clash. The frame keeps
    the map's proportions before the image arrives: nothing moves when it does.
    """
    fond = fond_de_carte()
    traces = {trace.code: trace for trace in fond.traces}
    largeur, hauteur = fond.viewbox.split()[2:]
    # Highlighted départements are drawn last, so that their outline is not hidden by a neighbour's.
    codes = sorted(code for code in set(codes_actifs) if code in traces)
    actifs = format_html_join(
        "",
        '<path d="{}" data-code="{}" class="{}"><title>{}</title></path>',
        ((traces[code].d, code, CLASSE_ACTIVE, traces[code].nom) for code in codes),
    )
    return format_html(
        '<div class="ti-carte__cadre"><img src="{url}" alt="" width="{largeur}" height="{hauteur}" loading="lazy" '
        'decoding="async"><svg xmlns="http://www.w3.org/2000/svg" viewBox="{viewbox}" role="img" focusable="false" '
        'aria-labelledby="{id}-titre {id}-desc"><title id="{id}-titre">{titre}</title>'
        '<desc id="{id}-desc">{description}</desc>{actifs}</svg></div>',
        url=static(STATIQUE),
        largeur=largeur,
        hauteur=hauteur,
        viewbox=fond.viewbox,
        id=identifiant,
        titre=titre,
        description=description,
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
