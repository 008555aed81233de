"""Projects: the fiches-action, plans and contracts of a territory, and the figures of the programme."""

from ti.comptes.models import Role

from .socle import RegleDeRoles, couvre_territoire, regions_du_perimetre, regle, territoire_de, territoires_des_roles

# On a territory's plan d'action: the chef de projet writes and submits it, the binôme validates or sends it back.
ROLES_REDACTEURS_DU_PLAN = frozenset({Role.CHEF_PROJET})
ROLES_VALIDEURS_DU_PLAN = frozenset({Role.BINOME})


@regle("voir_suivi_projets")
def _equipe_du_territoire(user, objet) -> bool:
    """Reads what the territory keeps private: fiches not published, follow-up journal, plans."""
    return couvre_territoire(user, territoire_de(objet))


def _rediger_projets(user, objet) -> bool:
    """Writes fiches-action, imports them, submits the plan, keeps the contract: chef de projet, national team."""
    return couvre_territoire(user, territoire_de(objet), {Role.EQUIPE_NATIONALE, *ROLES_REDACTEURS_DU_PLAN})


regle("modifier_projet", _rediger_projets)
regle("soumettre_plan", _rediger_projets)
regle("gerer_contrat", _rediger_projets)


@regle("valider_plan")
def _valider_plan(user, objet) -> bool:
    """The binôme élu–industriel of the territory validates its plan d'action."""
    return couvre_territoire(user, territoire_de(objet), ROLES_VALIDEURS_DU_PLAN)


def territoires_des_plans_a_valider(user) -> set[int]:
    """The territories whose submitted plan waits for this user (rule « valider_plan »): those of his binôme roles."""
    return territoires_des_roles(user, ROLES_VALIDEURS_DU_PLAN)


def territoires_des_plans_a_rediger(user) -> set[int]:
    """The territories whose plan this user writes as chef de projet (the national team may, but it is not his
    task: his to-do list does not show every territory's plans)."""
    return territoires_des_roles(user, ROLES_REDACTEURS_DU_PLAN)


# The national figures of the fiches-action (the programme's board, « Pilotage » in the menu).
regle("voir_chiffres_nationaux", RegleDeRoles({Role.EQUIPE_NATIONALE}))


@regle("voir_chiffres_region")
def _voir_chiffres_region(user, region) -> bool:
    """A région's figures (`region`: the région or its code): the national team, and the région's own roles."""
    perimetre = regions_du_perimetre(user)
    return perimetre is None or getattr(region, "pk", region) in perimetre
