"""The main menu, computed from the person's roles in this one place (`ti.espace.context_processors.navigation`).

A visitor sees the public menu; a signed-in person sees « À faire » first, then what their roles use, then the
public pages under « Le programme ».

No query of its own on a page: the menu reads the habilitations the permission layer has already read for the
request (the second-factor check reads them for every role that needs no second factor, and every page that checks
a right does), and otherwise the copy kept in the session at login and refreshed whenever a request reads them. A
withdrawn habilitation therefore leaves the menu at the next page that checks a right; the rights themselves are
always read afresh (`ti.comptes.permissions`), the menu only shows the way.
"""

from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import get_urlconf, reverse

from ti.comptes import permissions
from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation

CLE_SESSION = "menu_habilitations"


class Portee(NamedTuple):
    """What the menu needs of one habilitation (kept in the session as a JSON list)."""

    role: str
    region: str = ""  # code
    region_nom: str = ""
    territoire: str = ""  # identifiant
    territoire_nom: str = ""


def _portees(habilitations) -> list[list[str]]:
    return [
        list(
            Portee(
                h.role,
                h.region_id or "",
                h.region.nom if h.region_id else "",
                h.territoire.identifiant if h.territoire_id else "",
                h.territoire.nom if h.territoire_id else "",
            )
        )
        for h in habilitations
    ]


@receiver(user_logged_in)
def _garder_a_la_connexion(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Read here without `permissions.habilitations`, which would keep them on the user object beyond this login.
        actives = Habilitation.objects.actives().filter(utilisateur=user).select_related("region", "territoire")
        request.session[CLE_SESSION] = _portees(actives)


def portees(request) -> list[Portee]:
    """The user's habilitations as the menu needs them, without a query when the request or the session has them."""
    user = request.user
    deja_lues = permissions.habilitations_deja_lues(user)
    gardees = request.session.get(CLE_SESSION)
    if deja_lues is not None or gardees is None:
        lues = _portees(permissions.habilitations(user) if deja_lues is None else deja_lues)
        if lues != gardees:
            request.session[CLE_SESSION] = lues
        gardees = lues
    return [Portee(*portee) for portee in gardees]


@dataclass(frozen=True)
class Entree:
    libelle: str
    url: str
    espaces: tuple[str, ...] = ()  # besides its own address, the URL namespaces or view names where it is current
    sous_menu: list["Entree"] = field(default_factory=list)
    code: str = ""  # an id for the drop-down menu
    actif: bool = False  # the current page is this entry's (or one of its sub-menu's)

    def courante(self, chemin: str, resolver_match) -> bool:
        if self.sous_menu:
            return any(entree.courante(chemin, resolver_match) for entree in self.sous_menu)
        if self.url == chemin:
            return True
        if resolver_match is None:
            return False
        return resolver_match.view_name in self.espaces or resolver_match.namespace in self.espaces


@cache  # the same for every request of the process (and URL configuration): a dozen reverse() spared per page
def _publiques(urlconf: str) -> tuple[Entree, ...]:
    return (
        Entree("Les territoires", reverse("territoires:liste"), ("territoires:liste", "territoires:detail")),
        Entree("Ma commune", reverse("territoires:commune"), ("territoires:commune",)),
        Entree("Les projets", reverse("projets:annuaire"), ("projets:annuaire",)),
        Entree("Sites clés en main", reverse("foncier:catalogue"), ("foncier",)),
        Entree("Les aides", reverse("financements:aides"), ("financements:aides", "financements:aide")),
        Entree("Ingénierie", reverse("ingenierie:catalogue"), ("ingenierie",)),
        Entree("Animation du réseau", reverse("animation:programme"), ("animation",)),
        Entree(
            "Données et API",
            reverse("pilotage:donnees_ouvertes"),
            ("pilotage", "documentation_api", "financements:subventions", "financements:fonds_vert"),
        ),
        Entree("Croiser un fichier", reverse("croisement:deposer"), ("croisement",)),
    )


def _mon_territoire(portees: list[Portee]) -> Entree | None:
    territoires = {p.territoire: p.territoire_nom for p in portees if p.role in ROLES_TERRITORIAUX}
    if not territoires:
        return None
    liens = [Entree(nom, reverse("territoires:detail", args=[ident]), ()) for ident, nom in territoires.items()]
    if len(liens) == 1:
        return Entree("Mon territoire", liens[0].url, ())
    return Entree("Mes territoires", "", sous_menu=liens, code="territoires")


def _ma_region(portees: list[Portee]) -> Entree | None:
    regions = {p.region: p.region_nom for p in portees if p.role in ROLES_REGIONAUX}
    if len(regions) != 1:
        return None
    ((code, _),) = regions.items()
    return Entree("Ma région", reverse("territoires:region", args=[code]), ("territoires:region",))


@lru_cache(maxsize=1024)  # a menu per set of habilitations, shared by the requests of everyone who holds it
def _entrees(portees: tuple[Portee, ...], urlconf: str) -> tuple[Entree, ...]:
    roles = {p.role for p in portees}

    def peut(action: str) -> bool:  # the permission layer's rule, on the roles the menu already holds: no query
        return permissions.peut_selon_roles(roles, action)

    entrees = [Entree("À faire", reverse("espace:a_faire"), ("espace:a_faire",))]
    entrees += [e for e in (_mon_territoire(portees), _ma_region(portees)) if e is not None]
    if peut("instruire"):
        entrees.append(Entree("Instruction", reverse("financements:file"), ("financements:file",)))
    if peut("voir_avis_attendus"):  # ADEME, Conseil régional, binôme
        entrees.append(Entree("Avis à rendre", reverse("financements:avis_attendus"), ("financements:avis_attendus",)))
    if peut("voir_mes_dossiers"):
        entrees.append(Entree("Mes dossiers", reverse("financements:mes_dossiers"), ("financements:mes_dossiers",)))
    entrees.append(Entree("Projets", reverse("projets:annuaire"), ("projets:annuaire",)))
    if peut("suivre_ingenierie"):
        entrees.append(Entree("Ingénierie", reverse("ingenierie:tableau"), ("ingenierie",)))
    if peut("echanger_reseau"):
        entrees.append(Entree("Réseau", reverse("animation:programme"), ("animation",)))
    if peut("voir_chiffres_nationaux"):
        entrees.append(Entree("Pilotage", reverse("projets:chiffres_national"), ("projets:chiffres_national",)))
    # The public pages not already above (same address or same part of the site).
    deja = {e.url for e in entrees} | {espace for e in entrees for espace in e.espaces}
    programme = [e for e in _publiques(urlconf) if e.url not in deja and not deja.intersection(e.espaces)]
    entrees.append(Entree("Le programme", "", sous_menu=programme, code="programme"))
    return tuple(entrees)


def _marquer(entree: Entree, chemin: str, resolver_match) -> Entree:
    sous_menu = [_marquer(e, chemin, resolver_match) for e in entree.sous_menu]
    return replace(entree, sous_menu=sous_menu, actif=entree.courante(chemin, resolver_match))


def _urlconf() -> str:
    return get_urlconf() or settings.ROOT_URLCONF


def menu(request) -> list[Entree]:
    """The entries of the main menu for the request's user, the one of the current page marked."""
    if request.user.is_authenticated:
        entrees = _entrees(tuple(portees(request)), _urlconf())
    else:
        entrees = [Entree("Accueil", reverse("accueil"), ("accueil",)), *_publiques(_urlconf())]
    resolver_match = getattr(request, "resolver_match", None)
    return [_marquer(entree, request.path, resolver_match) for entree in entrees]
