"""The criteria of the search over fiches-action: the filters, their values, how they narrow a queryset, and the
key under which a search's counts and slices are cached (`ti.core.cache`)."""

import hashlib
import json
from collections.abc import Iterable

from django.db.models import QuerySet

from ti.comptes.permissions import visibilite
from ti.core.texte import cle_recherche
from ti.projets.models import Axe, PhaseProjet, Projet, StatutPhase, Theme
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

FILTRES = ("region", "territoire", "axe", "theme", "phase", "statut")


def _valeurs(valeur: str | Iterable[str] | None) -> list[str]:
    """A filter is one value, several (checkboxes, repeated parameters: any of them) or none."""
    if valeur is None or valeur == "":
        return []
    if isinstance(valeur, str):
        return [valeur]
    return [v for v in valeur if v]


def filtrer(projets: QuerySet, filtres: dict[str, list[str]], sauf: str | None = None) -> QuerySet:
    """Apply every filter but `sauf`: within a filter the values add up (or), filters narrow each other (and)."""
    actifs = {nom: valeurs for nom, valeurs in filtres.items() if valeurs and nom != sauf}
    if "region" in actifs:
        # Through the territory's régions, as a subquery so that a territory of two régions gives no duplicate.
        projets = projets.filter(
            territoire__in=Territoire.regions.through.objects.filter(region_id__in=actifs["region"]).values(
                "territoire_id"
            )
        )
    if "territoire" in actifs:
        projets = projets.filter(territoire__identifiant__in=actifs["territoire"])
    if "axe" in actifs:
        projets = projets.filter(axe__in=actifs["axe"])
    if "theme" in actifs:
        projets = projets.filter(
            pk__in=Projet.themes.through.objects.filter(theme_id__in=actifs["theme"]).values("projet_id")
        )
    if "phase" in actifs:
        projets = projets.filter(phase__in=actifs["phase"])
    if "statut" in actifs:
        projets = projets.filter(phase_statut__in=actifs["statut"])
    return projets


def filtres_de(**criteres) -> dict[str, list[str]]:
    return {nom: _valeurs(criteres.get(nom)) for nom in FILTRES}


_LISTES = {  # the filters on a fixed list, and the filters on a table: (model, field)
    "axe": Axe.values,
    "phase": PhaseProjet.values,
    "statut": StatutPhase.values,
}
_TABLES = {"region": (Region, "code"), "territoire": (Territoire, "identifiant"), "theme": (Theme, "code")}


def valeurs_inconnues(nom: str, valeurs: Iterable[str]) -> list[str]:
    """The values of the filter `nom` that name nothing known: none is a typo to report, not an empty result.
    One query for régions, territories or themes (when values are given), none for the fixed lists."""
    valeurs = list(dict.fromkeys(valeurs))
    if not valeurs:
        return []
    if nom in _LISTES:
        return [v for v in valeurs if v not in _LISTES[nom]]
    modele, champ = _TABLES[nom]
    connues = set(modele.objects.filter(**{f"{champ}__in": valeurs}).values_list(champ, flat=True))
    return [v for v in valeurs if v not in connues]


def cle_du_cache(user, q: str, filtres: dict[str, list[str]]) -> str:
    """The cache key of a search's counts: what the user sees, and the criteria as the queries read them — the text
    as `cle_recherche` makes it (the only form `_texte` uses), each filter's values as a set (any of them)."""
    criteres = {"q": cle_recherche(q), **{nom: sorted(set(valeurs)) for nom, valeurs in filtres.items()}}
    empreinte = hashlib.sha256(json.dumps(criteres, sort_keys=True).encode()).hexdigest()[:32]
    return f"projets:{visibilite(user)}:{empreinte}"
