"""The network's life: who belongs to it, sees its events and resources, plans, moderates and publishes."""

from django.db.models import Q

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation, Role

from .socle import (
    RegleDeRoles,
    est_equipe_nationale,
    habilitations,
    regions_des_roles,
    regle,
    roles,
    territoires_des_roles,
)

# The network: the programme's agents, not porteurs nor consultants.
ROLES_DU_RESEAU = frozenset({Role.EQUIPE_NATIONALE, *ROLES_REGIONAUX, *ROLES_TERRITORIAUX})
ROLES_DE_L_ANNUAIRE = frozenset({Role.CHEF_PROJET, Role.BINOME, Role.REFERENT_REGION})


def membre_du_reseau(user) -> bool:
    return bool(roles(user) & ROLES_DU_RESEAU)


def q_membres_du_reseau() -> Q:
    """The condition on `Utilisateur` for the network's members, as `membre_du_reseau` reads it for one person: whom
    a mention may name, who is still told of a thread's messages."""
    actives = Habilitation.objects.actives().filter(role__in=ROLES_DU_RESEAU)
    return Q(is_active=True, pk__in=actives.values("utilisateur_id"))


def q_moderateurs(region_id: str | None) -> Q:
    """The condition on `Habilitation` for those who moderate a thread of this région (see `_moderer_echanges`)."""
    condition = Q(role=Role.EQUIPE_NATIONALE)
    return condition | Q(role=Role.REFERENT_REGION, region_id=region_id) if region_id else condition


def q_evenements_visibles(user) -> Q:
    """Events: public ones for everyone; the network's for its members; a région's for its network (its regional
    roles and the teams of its territories) and the national team."""
    if not membre_du_reseau(user):
        return Q(public=True)
    if est_equipe_nationale(user):
        return Q()
    return Q(public=True) | Q(region__isnull=True) | _q_regions_du_reseau(user)


def _q_regions_du_reseau(user) -> Q:
    """The condition on a `region` field for the régions whose network the user belongs to: the régions of his
    regional roles and those of the territories of his territorial roles."""
    from ti.territoires.models import Territoire  # the permission layer sits above the models' apps

    regions_des_territoires = Territoire.regions.through.objects.filter(territoire_id__in=territoires_des_roles(user))
    return Q(region_id__in=regions_des_roles(user)) | Q(region_id__in=regions_des_territoires.values("region_id"))


def q_ressources_visibles(user) -> Q:
    """The network's resources: public ones for everyone; the network's for its members; a région's for its network
    and the national team (decision 0049). Never the network's content to the public unless marked public."""
    if not membre_du_reseau(user):
        return Q(visibilite="public")
    if est_equipe_nationale(user):
        return Q()
    return Q(visibilite__in=["public", "reseau"]) | Q(visibilite="region") & _q_regions_du_reseau(user)


def regions_du_referent(user) -> set[str]:
    """The régions of the user's Conseil régional referent habilitations: there he plans the events, publishes the
    resources and moderates the threads."""
    return regions_des_roles(user, {Role.REFERENT_REGION})


# Registering to events and writing in the network's space: its members (decision 0046).
regle("echanger_reseau", RegleDeRoles(ROLES_DU_RESEAU))


@regle("animer_evenement")
def _animer_evenement(user, evenement=None) -> bool:
    """The national team runs every event, a Conseil régional referent those of his région, and the organiser his."""
    if est_equipe_nationale(user):
        return True
    if evenement is None:
        return False
    return evenement.organisateur_id == user.pk or any(
        h.role == Role.REFERENT_REGION and h.region_id == evenement.region_id for h in habilitations(user)
    )


@regle("planifier_evenement")
def _planifier_evenement(user, evenement=None) -> bool:
    """The national team plans any event; a Conseil régional referent those of his région (and only those)."""
    if est_equipe_nationale(user):
        return True
    regions = regions_du_referent(user)
    return bool(regions) if evenement is None else evenement.region_id in regions


@regle("moderer_echanges")
def _moderer_echanges(user, fil=None) -> bool:
    """The national team moderates the whole network's space; a Conseil régional referent the threads of his région
    (decision 0051). Without a thread: whether the user moderates anything at all."""
    if est_equipe_nationale(user):
        return True
    regions = regions_du_referent(user)
    if fil is None:
        return bool(regions)
    return fil.region_id is not None and fil.region_id in regions


# The resource centre, the directory and the figures of the network (decision 0049).
@regle("publier_ressource")
def _publier_ressource(user, ressource=None) -> bool:
    """The national team publishes and keeps every resource; a Conseil régional referent those of his région."""
    if est_equipe_nationale(user):
        return True
    regions = regions_du_referent(user)
    return bool(regions) if ressource is None else ressource.region_id in regions


regle("figurer_annuaire", RegleDeRoles(ROLES_DE_L_ANNUAIRE))


@regle("voir_chiffres_reseau")
def _voir_chiffres_reseau(user, objet=None) -> bool:
    """Participation, people never reached, most-read resources: the national team and the regional referents."""
    return est_equipe_nationale(user) or bool(regions_du_referent(user))
