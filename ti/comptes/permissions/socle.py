"""The ground of the permission layer: the user's habilitations read once per request, the scope helpers every
domain uses, and the one registry of named rules that `peut` and `exiger` read.

A rule is registered with `regle(nom)` in the module of its domain; the package imports every such module, so the
registry is whole as soon as `ti.comptes.permissions` is imported.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation, Role

REGLES: dict[str, Callable] = {}


def regle(nom: str, fonction: Callable | None = None):
    """Registers the rule `nom`, as a decorator or with the function given; a name is declared once only."""

    def enregistrer(f: Callable) -> Callable:
        if nom in REGLES:
            raise ValueError(f"La règle « {nom} » est déjà déclarée.")
        REGLES[nom] = f
        return f

    return enregistrer if fonction is None else enregistrer(fonction)


class RegleDeRoles:
    """A rule decided by the roles alone, whatever the object: the menu can ask it about the roles kept in the
    session (`peut_selon_roles`), without reading the habilitations again."""

    def __init__(self, roles_admis: Iterable[str]):
        self.roles_admis = frozenset(roles_admis)

    def __call__(self, user, objet=None) -> bool:
        return bool(roles(user) & self.roles_admis)

    def selon_roles(self, roles_tenus: Iterable[str]) -> bool:
        return bool(self.roles_admis.intersection(roles_tenus))


def peut(user, action: str, objet=None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return REGLES[action](user, objet)


def exiger(user, action: str, objet=None) -> None:
    if not peut(user, action, objet):
        raise PermissionDenied("Votre habilitation ne permet pas cette action.")


def peut_selon_roles(roles_tenus: Iterable[str], action: str) -> bool:
    """A rule decided by roles alone (`RegleDeRoles`), for roles already known (the menu's copy in the session)."""
    regle_ = REGLES[action]
    if not isinstance(regle_, RegleDeRoles):
        raise TypeError(f"La règle « {action} » ne se décide pas sur les seuls rôles.")
    return regle_.selon_roles(roles_tenus)


def habilitations(user) -> list[Habilitation]:
    """The user's active habilitations, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_habilitations_actives"):
        user._habilitations_actives = list(
            Habilitation.objects.actives().filter(utilisateur=user).select_related("region", "territoire")
        )
    return user._habilitations_actives


def habilitations_deja_lues(user) -> list[Habilitation] | None:
    """The habilitations if this request has already read them, else None (and no query)."""
    return getattr(user, "_habilitations_actives", None)


def roles(user) -> set[str]:
    return {h.role for h in habilitations(user)}


def est_equipe_nationale(user) -> bool:
    return Role.EQUIPE_NATIONALE in roles(user)


def regions_des_roles(user, roles_admis: Iterable[str] = ROLES_REGIONAUX) -> set[str]:
    """The régions where the user holds one of these regional roles."""
    roles_admis = set(roles_admis)
    return {h.region_id for h in habilitations(user) if h.role in roles_admis and h.region_id}


def territoires_des_roles(user, roles_admis: Iterable[str] = ROLES_TERRITORIAUX) -> set[int]:
    """The territories where the user holds one of these territorial roles."""
    roles_admis = set(roles_admis)
    return {h.territoire_id for h in habilitations(user) if h.role in roles_admis and h.territoire_id}


def regions_du_perimetre(user) -> set[str] | None:
    """The régions whose regional views (figures, envelopes) the user reads: None for the national team (all of
    them), else the régions of their regional roles (instructeur, expert ADEME, référent Conseil régional). A
    territory's role gives none: a chef de projet reads their territory, not their neighbours'."""
    if est_equipe_nationale(user):
        return None
    return regions_des_roles(user)


def couvre_territoire(user, territoire, roles_admis: set[str] | None = None) -> bool:
    """Whether one of the user's habilitations (of the given roles) covers this territory."""
    regions_du_territoire = None
    for habilitation in habilitations(user):
        if roles_admis is not None and habilitation.role not in roles_admis:
            continue
        if habilitation.role == Role.EQUIPE_NATIONALE:
            return True
        if habilitation.territoire_id == territoire.pk:
            return True
        if habilitation.role in ROLES_REGIONAUX:
            if regions_du_territoire is None:
                regions_du_territoire = {r.pk for r in territoire.regions.all()}
            if habilitation.region_id in regions_du_territoire:
                return True
    return False


def couvre_region(user, region_id, roles_admis: set[str]) -> bool:
    return any(
        h.role == Role.EQUIPE_NATIONALE
        and Role.EQUIPE_NATIONALE in roles_admis
        or (h.role in roles_admis and h.region_id == region_id)
        for h in habilitations(user)
    )


def territoire_de(objet):
    """Territory rules take a territory or anything that belongs to one (a fiche-action, a plan, a contract)."""
    return objet.territoire if hasattr(objet, "territoire_id") else objet


def par_la_relation(relation: str, condition: Q) -> Q:
    """A condition written for a model, applied to a model that points to it through `relation` (the opinions of
    the dossiers a user reaches): a join the database can walk from either side, where `relation__in=<queryset>`
    makes it read every row of the subquery first."""
    copie = Q(
        *(
            par_la_relation(relation, enfant) if isinstance(enfant, Q) else (f"{relation}__{enfant[0]}", enfant[1])
            for enfant in condition.children
        )
    )
    copie.connector, copie.negated = condition.connector, condition.negated
    return copie
