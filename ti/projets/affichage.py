"""What the long lists of fiches-action show, prepared once in Python rather than per row by the templates.

A filter or a model method in a loop of a template costs tens of microseconds per row (`floatformat` alone, a
`reverse()` per link): on the search and a territory's list they cost more than the rest of the page. The rows are
plain dicts of strings; the templates only write them out.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.text import Truncator

from ti.projets.models import Axe, PhaseProjet, StatutPhase

AXES = dict(Axe.choices)
PHASES = dict(PhaseProjet.choices)
STATUTS = dict(StatutPhase.choices)
_ESPACE = "\xa0"  # the French thousands separator of `floatformat:"2g"` (django/conf/locale/fr/formats.py)


def montant(valeur, decimales: int = 2) -> str:
    """`{{ valeur|floatformat:"2g" }}` (or "0g") in French, the same text: « 1 234 567,50 »."""
    arrondi = Decimal(valeur).quantize(Decimal(1).scaleb(-decimales), ROUND_HALF_UP)
    if not arrondi:
        arrondi = abs(arrondi)  # floatformat writes no « -0 »
    return f"{arrondi:,.{decimales}f}".replace(",", _ESPACE).replace(".", ",")


def nombre(valeur: int) -> str:
    """`{{ valeur|intcomma }}` in French: « 12 345 »."""
    return f"{valeur:,}".replace(",", _ESPACE)


def prefixe_des_fiches() -> str:
    """The address of a fiche is this prefix, its pk and a slash: one `reverse()` for the whole list."""
    return reverse("projets:detail", args=[0])[:-2]


def adresse(prefixe: str, pk: int) -> str:
    return f"{prefixe}{pk}/"


def resume(description: str) -> str:
    """`{{ description|truncatewords:40 }}`, the same text."""
    return Truncator(description).words(40, truncate=" …") if description else ""


COLONNES_DE_LA_LISTE = (
    "pk",
    "titre",
    "commune__nom",
    "axe",
    "phase",
    "phase_statut",
    "budget",
    "porteur_nom",
    "public",
)


def lignes_de_la_liste(projets) -> list[dict]:
    """The rows of a territory's list of fiches, from `values(*COLONNES_DE_LA_LISTE)`."""
    prefixe = prefixe_des_fiches()
    return [
        {
            "url": adresse(prefixe, projet["pk"]),
            "titre": projet["titre"],
            "commune": projet["commune__nom"],
            "axe": AXES.get(projet["axe"], projet["axe"]),
            "phase": PHASES.get(projet["phase"], projet["phase"]),
            "statut": STATUTS.get(projet["phase_statut"], projet["phase_statut"]),
            "budget": None if projet["budget"] is None else montant(projet["budget"]),
            "porteur": projet["porteur_nom"] or "—",
            "public": projet["public"],
        }
        for projet in projets
    ]


def pagination(request, page) -> dict | None:
    """The links of `projets/_pagination.html` (django-dsfr's markup) for `page`, whose `pages_list` is set: each
    keeps the request's other parameters. None when there is one page only."""
    if page.paginator.num_pages <= 1:
        return None
    parametres = request.GET.copy()

    def lien(numero: int) -> str:
        parametres["page"] = numero
        return f"?{parametres.urlencode()}"

    return {
        "premiere": lien(1),
        "precedente": lien(page.previous_page_number()) if page.has_previous() else "",
        "suivante": lien(page.next_page_number()) if page.has_next() else "",
        "derniere": lien(page.paginator.num_pages),
        "pages": [
            (numero, lien(numero), numero == page.number) if isinstance(numero, int) else (numero, "", False)
            for numero in page.pages_list
        ],
    }
