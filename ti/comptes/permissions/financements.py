"""Funding, beyond one dossier: the instruction queue, the envelopes and their gauges, the schemes, Fonds vert."""

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Role

from .socle import RegleDeRoles, couvre_region, est_equipe_nationale, regions_des_roles, regions_du_perimetre, regle

# The schemes and their envelopes are read by the programme's agents; porteurs and consultants do not.
AGENTS_DU_PROGRAMME = frozenset({Role.EQUIPE_NATIONALE, *ROLES_REGIONAUX, *ROLES_TERRITORIAUX})
# The instruction queue: the instructors, and those who read it to give their opinions, and the national team.
ROLES_DE_LA_FILE = frozenset({Role.INSTRUCTEUR, Role.EXPERT_ADEME, Role.REFERENT_REGION, Role.EQUIPE_NATIONALE})

regle("voir_file", RegleDeRoles(ROLES_DE_LA_FILE))
# Instruction is the instructors' and the national team's work: the menu leads them to the queue (ADEME and the
# Conseil régional reach it from their opinions).
regle("instruire", RegleDeRoles({Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE}))


def regions_instruites(user) -> set[str]:
    """The régions where the user instructs (rule « instruire_dossier »): his instructeur roles'."""
    return regions_des_roles(user, {Role.INSTRUCTEUR})


def regions_des_enveloppes_suivies(user) -> set[str] | None:
    """The régions whose envelopes the user follows (rule « suivre_enveloppe »): None for the national team (all of
    them), else the régions of their regional roles."""
    return regions_du_perimetre(user)


@regle("suivre_enveloppe")
def _suivre_enveloppe(user, enveloppe) -> bool:
    """Gauge and programme exports: the national team and the région's roles."""
    return couvre_region(user, enveloppe.region_id, {Role.EQUIPE_NATIONALE, *ROLES_REGIONAUX})


@regle("designer_signataire")
def _designer_signataire(user, enveloppe) -> bool:
    """Who signs the decisions of a regional envelope: set by the national team or the région's instructors."""
    return couvre_region(user, enveloppe.region_id, {Role.EQUIPE_NATIONALE, Role.INSTRUCTEUR})


@regle("gerer_dispositif")
def _gerer_dispositif(user, objet=None) -> bool:
    return est_equipe_nationale(user)


regle("voir_dispositifs", RegleDeRoles(AGENTS_DU_PROGRAMME))
regle("importer_fonds_vert", lambda user, objet=None: est_equipe_nationale(user))  # the national list of awards
