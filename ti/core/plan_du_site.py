"""The site map, read from the URL configuration rather than kept by hand (docs/decisions/0059-pages-publiques.md).

A page is listed when its route takes no parameter, answers GET with HTML (no file extension in the route), is open
without login (not behind `login_required`) and its namespace is not the API's or the admin's. Its title comes from
TITRES, by URL name: a public page added without a title fails tests/core/test_plan_du_site.py, which also requests
every listed page anonymously. The map is built once per process: the routes do not change while it runs.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, get_urlconf, reverse

ESPACES_EXCLUS = {"api", "otpadmin"}  # the API has its own documentation; the admin is not a public page
# Open routes that are a step of a journey, not a place to go to from a map.
ETAPES = {
    "comptes:mot_de_passe_envoye",
    "comptes:mot_de_passe_enregistre",
    "financements:dossiers_fonds_vert",  # needs ?annee=, reached from the Fonds vert page
    "comptes:inscription_envoyee",
    "comptes:renvoyer_lien",
    "projets:recherche",  # the agents' former search: redirects to the one search of the projects
}

# Sections, in this order; a namespace not listed here goes under « Le site ».
RUBRIQUES = {
    "": "Le programme",
    "territoires": "Les territoires",
    "projets": "Les projets",
    "financements": "Financements",
    "foncier": "Sites clés en main",
    "ingenierie": "Ingénierie",
    "animation": "Animation du réseau",
    "croisement": "Outils",
    "pilotage": "Données ouvertes et API",
    "documentation_api": "Données ouvertes et API",
    "comptes": "Votre compte",
    "core": "Le site",
}

TITRES = {
    "accueil": "Accueil",
    "territoires:liste": "Les territoires d’industrie",
    "territoires:commune": "Ma commune est-elle dans un Territoire d’industrie ?",
    "territoires:chefs_de_projet": "Le réseau des chefs de projet",
    "projets:annuaire": "Les projets des territoires",
    "financements:subventions": "Subventions attribuées (SCDL)",
    "financements:fonds_vert": "Le Fonds vert dans les territoires d’industrie",
    "financements:aides": "Aides aux projets",
    "foncier:catalogue": "Catalogue des sites clés en main",
    "foncier:chiffres": "Le foncier prêt en chiffres",
    "ingenierie:catalogue": "L’offre d’ingénierie",
    "animation:programme": "Le programme des événements",
    "animation:ressources": "Le centre de ressources du réseau",
    "croisement:deposer": "Croiser un fichier avec les Territoires d’industrie",
    "pilotage:donnees_ouvertes": "Données ouvertes",
    "documentation_api:index": "Documentation de l’API",
    "comptes:connexion": "Se connecter",
    "comptes:inscription": "Créer un compte",
    "comptes:mot_de_passe_oublie": "Mot de passe oublié",
    "core:mentions_legales": "Mentions légales",
    "core:donnees_personnelles": "Données personnelles",
    "core:cookies": "Gestion des cookies",
    "core:accessibilite": "Déclaration d’accessibilité",
    "core:plan_du_site": "Plan du site",
}


@dataclass(frozen=True)
class Entree:
    nom: str  # « espace:nom », as given to reverse()
    url: str
    titre: str | None  # None: a public page nobody has named yet (the tests refuse it)


def _routes(resolver, espace: str = ""):
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            yield from _routes(motif, ":".join(filter(None, [espace, motif.namespace])) if motif.namespace else espace)
        elif isinstance(motif, URLPattern) and motif.name:
            yield espace, motif


def _publique(espace: str, motif: URLPattern) -> bool:
    vue = motif.callback
    classe = getattr(vue, "view_class", None)
    return (
        espace not in ESPACES_EXCLUS
        and not motif.pattern.converters
        and "." not in str(motif.pattern)  # a file: .csv, .ics, .json
        and not hasattr(vue, "login_url")  # set by login_required (and user_passes_test) on the view
        and (classe is None or "get" in classe.http_method_names)
    )


def pages_publiques() -> tuple[Entree, ...]:
    return _pages_publiques(get_urlconf() or settings.ROOT_URLCONF)


@cache
def _pages_publiques(urlconf: str) -> tuple[Entree, ...]:
    """Once per URL configuration (tests may route another one)."""
    entrees = {}
    for espace, motif in _routes(get_resolver(urlconf)):
        nom = f"{espace}:{motif.name}" if espace else motif.name
        if nom in ETAPES or nom in entrees or not _publique(espace, motif):
            continue
        entrees[nom] = Entree(nom=nom, url=reverse(nom, urlconf=urlconf), titre=TITRES.get(nom))
    return tuple(entrees.values())


def rubriques() -> list[tuple[str, list[Entree]]]:
    """The map by section, in the order of RUBRIQUES; pages in the order of the URL configuration."""
    par_rubrique: dict[str, list[Entree]] = {}
    for entree in pages_publiques():
        espace = entree.nom.rpartition(":")[0]
        par_rubrique.setdefault(RUBRIQUES.get(espace, "Le site"), []).append(entree)
    ordre = list(dict.fromkeys(RUBRIQUES.values()))
    return sorted(par_rubrique.items(), key=lambda rubrique: ordre.index(rubrique[0]))
