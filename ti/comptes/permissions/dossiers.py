"""Funding dossiers: who sees a dossier, which roles apply to it, who files, instructs, gives or reads opinions."""

from django.db.models import Q

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation, Role
from ti.core.cache import en_cache_des_pages

from .socle import (
    RegleDeRoles,
    est_equipe_nationale,
    habilitations,
    regions_des_roles,
    regle,
    roles,
    territoires_des_roles,
)

# Who gives each type of opinion (`Avis.type`).
ROLES_AVIS = {"ademe": Role.EXPERT_ADEME, "region": Role.REFERENT_REGION, "gouvernance": Role.BINOME}


def sirets_du_porteur(user) -> set[str]:
    """The SIRETs the user currently represents (active porteur habilitations), claimed ones included: he files
    for each of them."""
    return {h.siret for h in habilitations(user) if h.role == Role.PORTEUR and h.siret}


def sirets_accordes(user) -> set[str]:
    """The SIRETs the national team habilitated the user on: there he sees every dossier of the structure. On a SIRET
    he only claimed himself (« Mes entreprises »), he sees the dossiers he filed, never others' (decision 0053)."""
    return {h.siret for h in habilitations(user) if h.role == Role.PORTEUR and h.siret and not h.revendiquee}


def habilitations_de_porteur():
    """The active porteur habilitations: who speaks for a SIRET today (say, whether a message came from its side)."""
    return Habilitation.objects.actives().filter(role=Role.PORTEUR)


def _porteur_du_dossier(user, dossier) -> bool:
    if dossier.porteur_siret in sirets_accordes(user):
        return True
    return dossier.porteur_siret in sirets_du_porteur(user) and dossier.deposant_id == user.pk


def _enveloppes_des_regions(user, regions: set[str]) -> list[int]:
    """Read once per request and set of régions, kept on the user object as the habilitations (a handful of rows),
    and in the cache for every user of the same régions until a write: an envelope is created once a year per
    région, never moved to another."""
    lues = user.__dict__.setdefault("_enveloppes_des_regions", {})
    cle = frozenset(regions)
    if cle not in lues:
        from ti.financements.models import Enveloppe  # the permission layer sits above the models' apps

        regions = sorted(regions)
        enveloppes = Enveloppe.objects.filter(region__in=regions).order_by()  # no join for the default ordering
        lues[cle] = en_cache_des_pages(
            f"enveloppes-des-regions:{','.join(regions)}", lambda: list(enveloppes.values_list("pk", flat=True))
        )
    return lues[cle]


def _q_dossiers_des_agents(user) -> Q | None:
    """The filed dossiers the user's agent roles (national, régional, territorial) reach; None if no such role."""
    depose = ~Q(statut="brouillon")
    if est_equipe_nationale(user):
        return depose
    regions = regions_des_roles(user)
    territoires = territoires_des_roles(user)
    condition = None
    if regions:
        # The ids of the régions' envelopes, not a join on the envelope: with a list of values the database
        # combines the indexes of the OR (porteur_siret, enveloppe) instead of reading every dossier of every région.
        condition = depose & Q(enveloppe__in=_enveloppes_des_regions(user, regions))
    if territoires:
        par_territoire = depose & Q(territoire__in=territoires)
        condition = par_territoire if condition is None else condition | par_territoire
    return condition


def q_dossiers_visibles(user) -> Q:
    """The condition on `Dossier` for what the user sees. A dossier belongs to the SIRET it is filed for: the
    porteurs currently habilitated on that SIRET see it, drafts included; the person who created it keeps nothing
    once that habilitation is withdrawn (docs/decisions/0026-droits-sur-un-dossier.md). Agents see filed dossiers."""
    condition = Q(pk__in=[])
    accordes = sirets_accordes(user)
    if accordes:
        condition = Q(porteur_siret__in=sorted(accordes))
    if revendiques := sirets_du_porteur(user) - accordes:
        condition |= Q(porteur_siret__in=sorted(revendiques), deposant=user)
    agents = _q_dossiers_des_agents(user)
    return condition if agents is None else condition | agents


def q_dossiers_de_la_file(user) -> Q:
    """The instructors' queue: what the agent roles reach, minus the dossiers of the user's own structures (a conflict
    of interest: there the user is the porteur, see `roles_sur_dossier`)."""
    condition = _q_dossiers_des_agents(user)
    if condition is None:
        return Q(pk__in=[])
    sirets = sirets_du_porteur(user)
    return condition & ~Q(porteur_siret__in=sorted(sirets)) if sirets else condition


def q_dossiers_instruits(user) -> Q:
    """The part of the queue the user instructs: the filed dossiers of his instructeur régions, minus his own
    structures'. The envelopes' ids, as in the queue: a join on the envelope would make the database guess the
    régions' dossiers a hundred times too few and read them all before the first row."""
    regions = regions_des_roles(user, {Role.INSTRUCTEUR})
    if not regions:
        return Q(pk__in=[])
    condition = ~Q(statut="brouillon") & Q(enveloppe__in=_enveloppes_des_regions(user, regions))
    sirets = sirets_du_porteur(user)
    return condition & ~Q(porteur_siret__in=sorted(sirets)) if sirets else condition


def roles_sur_dossier(user, dossier) -> frozenset[str]:
    """The roles that apply to THIS dossier, never the union of the user's roles held elsewhere:
    - porteur when the user is habilitated, today, on the dossier's SIRET (by the national team, or by his own claim
      for the dossiers he filed); then no other role applies (conflict of interest: nobody instructs, judges or
      reads the confidential opinions on their own structure's dossier);
    - national team everywhere; regional roles in the région of the dossier's envelope; territorial roles in the
      dossier's territory; none of them on a draft, which stays the porteurs' own.
    Read from the habilitations of the request, so that a withdrawn habilitation counts at the next request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if dossier.porteur_siret in sirets_du_porteur(user):
        # A SIRET he only claimed gives him the dossiers he filed; the others of that SIRET, none of his roles.
        return frozenset({Role.PORTEUR}) if _porteur_du_dossier(user, dossier) else frozenset()
    if dossier.statut == "brouillon":
        return frozenset()

    def s_applique(h: Habilitation) -> bool:
        if h.role in ROLES_REGIONAUX:
            return h.region_id == dossier.enveloppe.region_id
        if h.role in ROLES_TERRITORIAUX:
            return h.territoire_id == dossier.territoire_id
        return h.role == Role.EQUIPE_NATIONALE

    return frozenset(h.role for h in habilitations(user) if s_applique(h))


def _a_sur_le_dossier(roles_admis: set[str]):
    def regle_(user, dossier) -> bool:
        return bool(roles_sur_dossier(user, dossier) & roles_admis)

    return regle_


@regle("deposer_dossier")
def _deposer_dossier(user, objet=None) -> bool:
    """A porteur files for the SIRET(s) its habilitations name, and acts on a dossier while it still holds one."""
    if objet is None:
        return Role.PORTEUR in roles(user)
    return Role.PORTEUR in roles_sur_dossier(user, objet)


# « Mes dossiers »: the porteurs' list of their structures' dossiers.
regle("voir_mes_dossiers", RegleDeRoles({Role.PORTEUR}))
# Instruction steps and decisions: the instructors of the dossier's région.
regle("instruire_dossier", _a_sur_le_dossier({Role.INSTRUCTEUR}))
# The opinions are confidential: the instruction, the national team and those who give them on this dossier.
regle(
    "voir_avis",
    _a_sur_le_dossier({Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE, Role.EXPERT_ADEME, Role.REFERENT_REGION, Role.BINOME}),
)
# The private thread between the porteur and the instruction.
regle("voir_echanges", _a_sur_le_dossier({Role.PORTEUR, Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE}))
regle("ecrire_message", _a_sur_le_dossier({Role.PORTEUR, Role.INSTRUCTEUR}))
# The récépissé of the filing: the porteur who filed, the instruction and the national team.
regle("telecharger_recepisse", _a_sur_le_dossier({Role.PORTEUR, Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE}))


@regle("rendre_avis")
def _rendre_avis(user, avis) -> bool:
    """ADEME expert and Conseil régional referent of the dossier's région; the binôme of its territory for the
    governance's agreement. Never on a dossier of the user's own structure (see `roles_sur_dossier`)."""
    return ROLES_AVIS[avis.type] in roles_sur_dossier(user, avis.dossier)


def perimetres_des_avis(user) -> dict[str, tuple[set[str], set[int]]]:
    """For each type of opinion: the régions and the territories where the user gives it (his ADEME and Conseil
    régional roles name régions, his binôme roles territories), as `q_avis_a_rendre` reads them."""
    perimetres = {}
    for type_, role in ROLES_AVIS.items():
        perimetres[type_] = (regions_des_roles(user, {role}), territoires_des_roles(user, {role}))
    return perimetres


# « Avis attendus de moi »: the list of the opinions awaiting those who give them (ADEME, Conseil régional, binôme).
regle("voir_avis_attendus", RegleDeRoles(ROLES_AVIS.values()))


def q_avis_a_rendre(user) -> Q:
    """The condition on `Avis` for the opinions awaiting this user (the rule `_rendre_avis` as a query): ADEME and the
    Conseil régional in their région, the binôme in its territory; never on a dossier of the user's own structure."""
    condition = Q(pk__in=[])
    type_par_role = {role: type_ for type_, role in ROLES_AVIS.items()}
    for h in habilitations(user):
        if (type_ := type_par_role.get(h.role)) is None:
            continue
        if h.role in ROLES_TERRITORIAUX:
            condition |= Q(type=type_, dossier__territoire=h.territoire_id)
        else:
            condition |= Q(type=type_, dossier__enveloppe__region=h.region_id)
    if sirets := sirets_du_porteur(user):
        condition &= ~Q(dossier__porteur_siret__in=sorted(sirets))
    return condition & Q(rendu_le__isnull=True) & ~Q(dossier__statut="brouillon")
