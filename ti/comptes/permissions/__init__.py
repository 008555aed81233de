"""The permission layer: the one place that says who sees what (scope) and who may do what (role).

Every view and API endpoint goes through it:
- lists and fetches use a queryset restricted to the user's scope (`Territoire.objects.du_perimetre(user)`),
  so that a record outside the scope is a 404;
- state changes call `exiger(user, action, objet)`, a 403 when the role may not.

No module of `ti/` outside this package decides on a role itself (tests/comptes/test_regles_en_un_lieu.py). The
rules are cut by domain, one module each; `socle` holds the habilitations and the one registry of named rules
(`REGLES`), which importing the domain modules below fills.
"""

from . import animation, comptes, dossiers, financements, foncier, ingenierie, projets, territoires  # noqa: F401
from .animation import (
    ROLES_DE_L_ANNUAIRE,
    ROLES_DU_RESEAU,
    membre_du_reseau,
    q_evenements_visibles,
    q_membres_du_reseau,
    q_moderateurs,
    q_ressources_visibles,
    regions_du_referent,
)
from .comptes import ROLES_A_DOUBLE_FACTEUR, exige_double_facteur
from .dossiers import (
    ROLES_AVIS,
    habilitations_de_porteur,
    perimetres_des_avis,
    q_avis_a_rendre,
    q_dossiers_de_la_file,
    q_dossiers_instruits,
    q_dossiers_visibles,
    roles_sur_dossier,
    sirets_accordes,
    sirets_du_porteur,
)
from .financements import AGENTS_DU_PROGRAMME, ROLES_DE_LA_FILE, regions_des_enveloppes_suivies, regions_instruites
from .foncier import q_demandes_visibles
from .ingenierie import (
    ROLES_DEMANDEURS,
    ROLES_EXAMINATEURS,
    est_consultant,
    q_demandes_ingenierie_visibles,
    q_missions_visibles,
    regions_examinees,
    territoires_demandeurs,
)
from .projets import territoires_des_plans_a_rediger, territoires_des_plans_a_valider
from .socle import (
    REGLES,
    RegleDeRoles,
    couvre_region,
    couvre_territoire,
    est_equipe_nationale,
    exiger,
    habilitations,
    habilitations_deja_lues,
    par_la_relation,
    peut,
    peut_selon_roles,
    regions_des_roles,
    regions_du_perimetre,
    regle,
    roles,
    territoire_de,
    territoires_des_roles,
)
from .territoires import ROLES_PARTENAIRES, q_territoires_du_perimetre, visibilite

__all__ = [
    "habilitations_de_porteur",
    "territoires_des_plans_a_valider",
    "territoires_des_plans_a_rediger",
    "regions_instruites",
    "perimetres_des_avis",
    "regions_examinees",
    "est_consultant",
    "ROLES_EXAMINATEURS",
    "AGENTS_DU_PROGRAMME",
    "REGLES",
    "ROLES_AVIS",
    "ROLES_A_DOUBLE_FACTEUR",
    "ROLES_DEMANDEURS",
    "ROLES_DE_LA_FILE",
    "ROLES_DE_L_ANNUAIRE",
    "ROLES_DU_RESEAU",
    "ROLES_PARTENAIRES",
    "RegleDeRoles",
    "couvre_region",
    "couvre_territoire",
    "est_equipe_nationale",
    "exige_double_facteur",
    "exiger",
    "habilitations",
    "habilitations_deja_lues",
    "par_la_relation",
    "q_dossiers_instruits",
    "membre_du_reseau",
    "peut",
    "peut_selon_roles",
    "q_avis_a_rendre",
    "q_demandes_ingenierie_visibles",
    "q_demandes_visibles",
    "q_dossiers_de_la_file",
    "q_dossiers_visibles",
    "q_evenements_visibles",
    "q_membres_du_reseau",
    "q_missions_visibles",
    "q_moderateurs",
    "q_ressources_visibles",
    "q_territoires_du_perimetre",
    "regions_des_enveloppes_suivies",
    "regions_des_roles",
    "regions_du_perimetre",
    "regions_du_referent",
    "regle",
    "roles",
    "roles_sur_dossier",
    "sirets_accordes",
    "sirets_du_porteur",
    "territoire_de",
    "territoires_demandeurs",
    "territoires_des_roles",
    "visibilite",
]
