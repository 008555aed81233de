"""Engineering support: who asks for it, examines and decides the requests, and works on or judges the missions."""

from django.db.models import Q

from ti.comptes.models import ROLES_TERRITORIAUX, Role

from .socle import (
    RegleDeRoles,
    couvre_territoire,
    est_equipe_nationale,
    regions_des_roles,
    regle,
    roles,
    territoire_de,
    territoires_des_roles,
)
from .territoires import ROLES_PARTENAIRES

# Those who write and submit a territory's requests for support, and validate the deliverables of its missions.
ROLES_DEMANDEURS = frozenset({Role.CHEF_PROJET, Role.BINOME})
# The région looks at a submitted request first: the Conseil régional referent and the préfecture (instructeur).
ROLES_EXAMINATEURS = frozenset({Role.REFERENT_REGION, Role.INSTRUCTEUR})


def _territoires_des_regions(regions: set[str]):
    from ti.territoires.models import Territoire  # the permission layer sits above the models' apps

    return Territoire.objects.filter(regions__in=regions).values("pk")


def q_demandes_ingenierie_visibles(user) -> Q:
    """Engineering requests: the territory's team from the draft on; the région's roles and the national team once
    submitted. A consultant sees none: he knows only the missions he works on."""
    condition = Q(territoire__in=territoires_des_roles(user))
    soumise = ~Q(statut="brouillon")
    if est_equipe_nationale(user):
        return condition | soumise
    if regions := regions_des_roles(user):
        condition |= soumise & Q(territoire__in=_territoires_des_regions(regions))
    return condition


def q_missions_visibles(user) -> Q:
    """Engineering missions: a consultant those he is named on; agents those of the territories of their scope."""
    condition = Q(consultants=user) if est_consultant(user) else Q(pk__in=[])
    if est_equipe_nationale(user):
        return Q()
    if territoires := territoires_des_roles(user):
        condition |= Q(territoire__in=territoires)
    if regions := regions_des_roles(user):
        condition |= Q(territoire__in=_territoires_des_regions(regions))
    return condition


def territoires_demandeurs(user) -> set[int]:
    """The territories where the user asks for support (rule « demander_ingenierie ») and validates the deliverables
    (« valider_livrable »): those of his chef de projet and binôme habilitations."""
    return territoires_des_roles(user, ROLES_DEMANDEURS)


def regions_examinees(user) -> set[str]:
    """The régions whose submitted requests the user examines (rule « examiner_demande_ingenierie »), the national
    team aside (it may examine them all)."""
    return regions_des_roles(user, ROLES_EXAMINATEURS)


def est_consultant(user) -> bool:
    """A consultant works on the missions he is named on, and sees those only."""
    return Role.CONSULTANT in roles(user)


# The engineering board (« Ingénierie » in the menu): every partner of the programme, consultants included.
regle("suivre_ingenierie", RegleDeRoles(ROLES_PARTENAIRES))


@regle("demander_ingenierie")
def _demander_ingenierie(user, objet) -> bool:
    """The chef de projet or the binôme of the territory writes and submits its requests for support."""
    return couvre_territoire(user, territoire_de(objet), ROLES_DEMANDEURS)


@regle("examiner_demande_ingenierie")
def _examiner_demande_ingenierie(user, demande) -> bool:
    """The région looks first (Conseil régional referent, préfecture), the national team may too."""
    return couvre_territoire(user, demande.territoire, {Role.EQUIPE_NATIONALE, *ROLES_EXAMINATEURS})


# Accept, redirect or refuse, then commission and steer the missions: the national team holds the budget.
regle("decider_demande_ingenierie", lambda user, objet=None: est_equipe_nationale(user))
regle("piloter_mission", lambda user, objet=None: est_equipe_nationale(user))


def _consultant_de_la_mission(user, mission) -> bool:
    return est_consultant(user) and mission.consultants.filter(pk=user.pk).exists()


@regle("declarer_jours")
def _declarer_jours(user, mission) -> bool:
    """The days consumed: the consultants named on the mission, and the national team that pays them."""
    return est_equipe_nationale(user) or _consultant_de_la_mission(user, mission)


@regle("deposer_livrable")
def _deposer_livrable(user, mission) -> bool:
    """Only the consultants named on the mission upload its deliverables."""
    return _consultant_de_la_mission(user, mission)


@regle("valider_livrable")
def _valider_livrable(user, livrable) -> bool:
    """The territory that asked for the mission validates or sends back what it receives."""
    return couvre_territoire(user, livrable.mission.territoire, ROLES_DEMANDEURS)


@regle("evaluer_mission")
def _evaluer_mission(user, mission) -> bool:
    """The territory (chef de projet, binôme) says what the mission was worth."""
    return couvre_territoire(user, mission.territoire, ROLES_TERRITORIAUX)


@regle("rattacher_fiches_mission")
def _rattacher_fiches_mission(user, mission) -> bool:
    """The outcomes of a mission: the national team that commissioned it, or the territory's team that lives them."""
    return couvre_territoire(user, mission.territoire, {Role.EQUIPE_NATIONALE, *ROLES_TERRITORIAUX})
