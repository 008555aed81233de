"""Territories: which ones a user's scope holds, who reads their contacts and governance, who changes them."""

import hashlib

from django.db.models import Q

from ti.comptes.models import Role

from .socle import (
    RegleDeRoles,
    couvre_territoire,
    est_equipe_nationale,
    regions_des_roles,
    regle,
    territoires_des_roles,
)

# The roles that make a signed-in person a partner of the programme: all but the porteur (consultants included).
ROLES_PARTENAIRES = frozenset(role for role in Role if role != Role.PORTEUR)


def q_territoires_du_perimetre(user) -> Q | None:
    """The condition on `Territoire` for the territories within the user's scope; None means all of them."""
    if est_equipe_nationale(user):
        return None
    return Q(regions__in=regions_des_roles(user)) | Q(pk__in=territoires_des_roles(user))


def visibilite(user) -> str:
    """A name for what `Projet.objects.visible_to(user)` lets the user see, for cache keys: users with the same name
    see the same rows, so the whole national team shares one cached entry. It reads the same habilitations as
    `q_territoires_du_perimetre`: « public » for visitors, « tout » for the national team, else a digest of the
    régions and territories of the scope."""
    if not user.is_authenticated:
        return "public"
    if est_equipe_nationale(user):
        return "tout"
    regions = sorted(regions_des_roles(user))
    territoires = sorted(territoires_des_roles(user))
    if not regions and not territoires:
        return "public"  # a porteur, say: the published fiches, as a visitor
    empreinte = hashlib.sha256(repr((regions, territoires)).encode()).hexdigest()[:20]
    return f"perimetre-{empreinte}"


@regle("voir_contacts")
def _voir_contacts(user, territoire) -> bool:
    return couvre_territoire(user, territoire)


@regle("modifier_territoire")
def _modifier_territoire(user, territoire) -> bool:
    return couvre_territoire(user, territoire, {Role.EQUIPE_NATIONALE, Role.CHEF_PROJET})


# The names of a territory's binôme and chefs de projet: the programme's partners; a visitor or a porteur reads only
# whether the roles are filled (docs/decisions/0066).
regle("voir_noms_gouvernance", RegleDeRoles(ROLES_PARTENAIRES))
