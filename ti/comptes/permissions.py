"""The permission layer: the one place that says who sees what (scope) and who may do what (role).

Every view and API endpoint goes through it:
- lists and fetches use a queryset restricted to the user's scope (`Territoire.objects.du_perimetre(user)`),
  so that a record outside the scope is a 404;
- state changes call `exiger(user, action, objet)`, a 403 when the role may not.
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation, Role


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


def q_territoires_du_perimetre(user) -> Q | None:
    """The condition on `Territoire` for the territories within the user's scope; None means all of them."""
    if est_equipe_nationale(user):
        return None
    regions = {h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX}
    territoires = {h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX}
    return Q(regions__in=regions) | Q(pk__in=territoires)


def visibilite(user) -> str:
    """A name for what `Projet.objects.visible_to(user)` lets the user see, for cache keys: users with the same name
    see the same rows, so the whole national team shares one cached entry. It reads the same habilitations as
    `q_territoires_du_perimetre`: « public » for visitors, « tout » for the national team, else a digest of the
    régions and territories of the scope."""
    if not user.is_authenticated:
        return "public"
    if est_equipe_nationale(user):
        return "tout"
    regions = sorted({h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX})
    territoires = sorted({h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX})
    if not regions and not territoires:
        return "public"  # a porteur, say: the published fiches, as a visitor
    empreinte = hashlib.sha256(repr((regions, territoires)).encode()).hexdigest()[:20]
    return f"perimetre-{empreinte}"


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


def _voir_contacts(user, territoire) -> bool:
    return couvre_territoire(user, territoire)


def _modifier_territoire(user, territoire) -> bool:
    return couvre_territoire(user, territoire, {Role.EQUIPE_NATIONALE, Role.CHEF_PROJET})


def _gerer_habilitations(user, objet=None) -> bool:
    """The national team opens accounts and grants or revokes habilitations; nobody ever acts on their own."""
    if not est_equipe_nationale(user):
        return False
    if isinstance(objet, Habilitation):
        return objet.utilisateur_id != user.pk
    if objet is not None:  # an account
        return objet.pk != user.pk
    return True


def _territoire_de(objet):
    """Project rules take a territory or anything that belongs to one (a fiche-action, a plan, a contract)."""
    return objet.territoire if hasattr(objet, "territoire_id") else objet


def _equipe_du_territoire(user, objet) -> bool:
    """Reads what the territory keeps private: fiches not published, follow-up journal, plans."""
    return couvre_territoire(user, _territoire_de(objet))


def _rediger_projets(user, objet) -> bool:
    """Writes fiches-action, imports them, submits the plan, keeps the contract: chef de projet, national team."""
    return couvre_territoire(user, _territoire_de(objet), {Role.EQUIPE_NATIONALE, Role.CHEF_PROJET})


def _valider_plan(user, objet) -> bool:
    """The binôme élu–industriel of the territory validates its plan d'action."""
    return couvre_territoire(user, _territoire_de(objet), {Role.BINOME})


def sirets_du_porteur(user) -> set[str]:
    """The SIRETs the user currently represents (active porteur habilitations), claimed ones included: he files
    for each of them."""
    return {h.siret for h in habilitations(user) if h.role == Role.PORTEUR and h.siret}


def sirets_accordes(user) -> set[str]:
    """The SIRETs the national team habilitated the user on: there he sees every dossier of the structure. On a SIRET
    he only claimed himself (« Mes entreprises »), he sees the dossiers he filed, never others' (decision 0053)."""
    return {h.siret for h in habilitations(user) if h.role == Role.PORTEUR and h.siret and not h.revendiquee}


def _porteur_du_dossier(user, dossier) -> bool:
    if dossier.porteur_siret in sirets_accordes(user):
        return True
    return dossier.porteur_siret in sirets_du_porteur(user) and dossier.deposant_id == user.pk


def _q_dossiers_des_agents(user) -> Q | None:
    """The filed dossiers the user's agent roles (national, régional, territorial) reach; None if no such role."""
    depose = ~Q(statut="brouillon")
    if est_equipe_nationale(user):
        return depose
    regions = {h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX}
    territoires = {h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX}
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


def _enveloppes_des_regions(user, regions: set[str]) -> list[int]:
    """Read once per request and kept on the user object, as the habilitations (a handful of rows)."""
    if not hasattr(user, "_enveloppes_des_regions"):
        from ti.financements.models import Enveloppe  # the permission layer sits above the models' apps

        enveloppes = Enveloppe.objects.filter(region__in=regions).order_by()  # no join for the default ordering
        user._enveloppes_des_regions = list(enveloppes.values_list("pk", flat=True))
    return user._enveloppes_des_regions


def _couvre_region(user, region_id, roles_admis: set[str]) -> bool:
    return any(
        h.role == Role.EQUIPE_NATIONALE
        and Role.EQUIPE_NATIONALE in roles_admis
        or (h.role in roles_admis and h.region_id == region_id)
        for h in habilitations(user)
    )


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
    def regle(user, dossier) -> bool:
        return bool(roles_sur_dossier(user, dossier) & roles_admis)

    return regle


def _deposer_dossier(user, objet=None) -> bool:
    """A porteur files for the SIRET(s) its habilitations name, and acts on a dossier while it still holds one."""
    if objet is None:
        return Role.PORTEUR in roles(user)
    return Role.PORTEUR in roles_sur_dossier(user, objet)


ROLES_AVIS = {"ademe": Role.EXPERT_ADEME, "region": Role.REFERENT_REGION, "gouvernance": Role.BINOME}


def _rendre_avis(user, avis) -> bool:
    """ADEME expert and Conseil régional referent of the dossier's région; the binôme of its territory for the
    governance's agreement. Never on a dossier of the user's own structure (see `roles_sur_dossier`)."""
    return ROLES_AVIS[avis.type] in roles_sur_dossier(user, avis.dossier)


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


def _suivre_enveloppe(user, enveloppe) -> bool:
    """Gauge and programme exports: the national team and the région's roles."""
    return _couvre_region(user, enveloppe.region_id, {Role.EQUIPE_NATIONALE, *ROLES_REGIONAUX})


def _designer_signataire(user, enveloppe) -> bool:
    """Who signs the decisions of a regional envelope: set by the national team or the région's instructors."""
    return _couvre_region(user, enveloppe.region_id, {Role.EQUIPE_NATIONALE, Role.INSTRUCTEUR})


AGENTS_DU_PROGRAMME = {Role.EQUIPE_NATIONALE, *ROLES_REGIONAUX, *ROLES_TERRITORIAUX}


def _gerer_dispositif(user, objet=None) -> bool:
    return est_equipe_nationale(user)


def _suivre_travaux(user, objet=None) -> bool:
    """The job queue's failures (e-mails not sent) are followed by the national team."""
    return est_equipe_nationale(user)


def q_demandes_visibles(user) -> Q:
    """Investors' requests: the teams of the site's territories and the roles of its région. Nobody else, not even
    the national team: they hold personal data, and only those who answer need them (decision 0042)."""
    regions = {h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX}
    territoires = {h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX}
    from ti.foncier.models import communes_des_territoires  # the permission layer sits above the models' apps

    return Q(site__commune__region_id__in=regions) | Q(site__commune_id__in=communes_des_territoires(territoires))


def _gerer_site(user, site=None) -> bool:
    """The national team keeps every site, a chef de projet those of his territories; imports are national."""
    if est_equipe_nationale(user):
        return True
    if site is None:
        return False
    territoires = set(site.territoires().values_list("pk", flat=True))
    return any(h.role == Role.CHEF_PROJET and h.territoire_id in territoires for h in habilitations(user))


def _suivre_demande(user, demande) -> bool:
    """Who reads a request answers it: the site's territory teams and its région's roles."""
    site = demande.site
    territoires = set(site.territoires().values_list("pk", flat=True))
    return any(
        (h.role in ROLES_REGIONAUX and h.region_id == site.commune.region_id)
        or (h.role in ROLES_TERRITORIAUX and h.territoire_id in territoires)
        for h in habilitations(user)
    )


def _territoires_des_regions(regions: set[str]):
    from ti.territoires.models import Territoire  # the permission layer sits above the models' apps

    return Territoire.objects.filter(regions__in=regions).values("pk")


def q_demandes_ingenierie_visibles(user) -> Q:
    """Engineering requests: the territory's team from the draft on; the région's roles and the national team once
    submitted. A consultant sees none: he knows only the missions he works on."""
    territoires = {h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX}
    condition = Q(territoire__in=territoires)
    soumise = ~Q(statut="brouillon")
    if est_equipe_nationale(user):
        return condition | soumise
    regions = {h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX}
    if regions:
        condition |= soumise & Q(territoire__in=_territoires_des_regions(regions))
    return condition


def q_missions_visibles(user) -> Q:
    """Engineering missions: a consultant those he is named on; agents those of the territories of their scope."""
    condition = Q(consultants=user) if Role.CONSULTANT in roles(user) else Q(pk__in=[])
    if est_equipe_nationale(user):
        return Q()
    regions = {h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX}
    territoires = {h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX}
    if territoires:
        condition |= Q(territoire__in=territoires)
    if regions:
        condition |= Q(territoire__in=_territoires_des_regions(regions))
    return condition


def _demander_ingenierie(user, objet) -> bool:
    """The chef de projet or the binôme of the territory writes and submits its requests for support."""
    return couvre_territoire(user, _territoire_de(objet), {Role.CHEF_PROJET, Role.BINOME})


def _examiner_demande_ingenierie(user, demande) -> bool:
    """The région looks first (Conseil régional referent, préfecture), the national team may too."""
    return couvre_territoire(user, demande.territoire, {Role.EQUIPE_NATIONALE, Role.REFERENT_REGION, Role.INSTRUCTEUR})


def _declarer_jours(user, mission) -> bool:
    """The days consumed: the consultants named on the mission, and the national team that pays them."""
    if est_equipe_nationale(user):
        return True
    return Role.CONSULTANT in roles(user) and mission.consultants.filter(pk=user.pk).exists()


def _deposer_livrable(user, mission) -> bool:
    """Only the consultants named on the mission upload its deliverables."""
    return Role.CONSULTANT in roles(user) and mission.consultants.filter(pk=user.pk).exists()


def _valider_livrable(user, livrable) -> bool:
    """The territory that asked for the mission validates or sends back what it receives."""
    return couvre_territoire(user, livrable.mission.territoire, ROLES_TERRITORIAUX)


def _evaluer_mission(user, mission) -> bool:
    """The territory (chef de projet, binôme) says what the mission was worth."""
    return couvre_territoire(user, mission.territoire, ROLES_TERRITORIAUX)


def _rattacher_fiches_mission(user, mission) -> bool:
    """The outcomes of a mission: the national team that commissioned it, or the territory's team that lives them."""
    return couvre_territoire(user, mission.territoire, {Role.EQUIPE_NATIONALE, *ROLES_TERRITORIAUX})


ROLES_DU_RESEAU = {Role.EQUIPE_NATIONALE, *ROLES_REGIONAUX, *ROLES_TERRITORIAUX}  # not porteurs nor consultants


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
    regions = {h.region_id for h in habilitations(user) if h.role in ROLES_REGIONAUX}
    territoires = {h.territoire_id for h in habilitations(user) if h.role in ROLES_TERRITORIAUX}
    from ti.territoires.models import Territoire  # the permission layer sits above the models' apps

    regions_des_territoires = Territoire.regions.through.objects.filter(territoire_id__in=territoires)
    return Q(region_id__in=regions) | Q(region_id__in=regions_des_territoires.values("region_id"))


def q_ressources_visibles(user) -> Q:
    """The network's resources: public ones for everyone; the network's for its members; a région's for its network
    and the national team (decision 0049). Never the network's content to the public unless marked public."""
    if not membre_du_reseau(user):
        return Q(visibilite="public")
    if est_equipe_nationale(user):
        return Q()
    return Q(visibilite__in=["public", "reseau"]) | Q(visibilite="region") & _q_regions_du_reseau(user)


def regions_du_referent(user) -> set[str]:
    return {h.region_id for h in habilitations(user) if h.role == Role.REFERENT_REGION}


def _publier_ressource(user, ressource=None) -> bool:
    """The national team publishes and keeps every resource; a Conseil régional referent those of his région."""
    if est_equipe_nationale(user):
        return True
    regions = regions_du_referent(user)
    return bool(regions) if ressource is None else ressource.region_id in regions


ROLES_DE_L_ANNUAIRE = {Role.CHEF_PROJET, Role.BINOME, Role.REFERENT_REGION}


def _voir_chiffres_reseau(user, objet=None) -> bool:
    """Participation, people never reached, most-read resources: the national team and the regional referents."""
    return est_equipe_nationale(user) or bool(regions_du_referent(user))


def _animer_evenement(user, evenement=None) -> bool:
    """The national team runs every event, a Conseil régional referent those of his région, and the organiser his."""
    if est_equipe_nationale(user):
        return True
    if evenement is None:
        return False
    return evenement.organisateur_id == user.pk or any(
        h.role == Role.REFERENT_REGION and h.region_id == evenement.region_id for h in habilitations(user)
    )


def _planifier_evenement(user, evenement=None) -> bool:
    """The national team plans any event; a Conseil régional referent those of his région (and only those)."""
    if est_equipe_nationale(user):
        return True
    regions = {h.region_id for h in habilitations(user) if h.role == Role.REFERENT_REGION}
    return bool(regions) if evenement is None else evenement.region_id in regions


def _moderer_echanges(user, fil=None) -> bool:
    """The national team moderates the whole network's space; a Conseil régional referent the threads of his région
    (decision 0051). Without a thread: whether the user moderates anything at all."""
    if est_equipe_nationale(user):
        return True
    regions = {h.region_id for h in habilitations(user) if h.role == Role.REFERENT_REGION}
    if fil is None:
        return bool(regions)
    return fil.region_id is not None and fil.region_id in regions


REGLES = {
    "voir_contacts": _voir_contacts,
    "modifier_territoire": _modifier_territoire,
    "gerer_habilitations": _gerer_habilitations,
    "voir_suivi_projets": _equipe_du_territoire,
    "modifier_projet": _rediger_projets,
    "soumettre_plan": _rediger_projets,
    "gerer_contrat": _rediger_projets,
    "valider_plan": _valider_plan,
    "deposer_dossier": _deposer_dossier,
    # An applicant who opened his own account claims the SIRETs he files for (« Mes entreprises », decision 0053).
    "revendiquer_siret": lambda user, objet=None: user.inscription_autonome,
    # Instruction steps and decisions: the instructors of the dossier's région.
    "instruire_dossier": _a_sur_le_dossier({Role.INSTRUCTEUR}),
    # The opinions are confidential: the instruction, the national team and those who give them on this dossier.
    "voir_avis": _a_sur_le_dossier(
        {Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE, Role.EXPERT_ADEME, Role.REFERENT_REGION, Role.BINOME}
    ),
    "rendre_avis": _rendre_avis,
    # The private thread between the porteur and the instruction.
    "voir_echanges": _a_sur_le_dossier({Role.PORTEUR, Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE}),
    "ecrire_message": _a_sur_le_dossier({Role.PORTEUR, Role.INSTRUCTEUR}),
    # The récépissé of the filing: the porteur who filed, the instruction and the national team.
    "telecharger_recepisse": _a_sur_le_dossier({Role.PORTEUR, Role.INSTRUCTEUR, Role.EQUIPE_NATIONALE}),
    "suivre_enveloppe": _suivre_enveloppe,
    "gerer_dispositif": _gerer_dispositif,
    # The schemes and their envelopes are read by the programme's agents; porteurs and consultants do not.
    "voir_dispositifs": lambda user, objet=None: bool(roles(user) & AGENTS_DU_PROGRAMME),
    # The national figures of the fiches-action (the programme's board).
    "voir_chiffres_nationaux": lambda user, objet=None: est_equipe_nationale(user),
    "designer_signataire": _designer_signataire,
    "suivre_travaux": _suivre_travaux,
    "importer_fonds_vert": lambda user, objet=None: est_equipe_nationale(user),  # the national list of awards
    "gerer_site": _gerer_site,
    "suivre_demande": _suivre_demande,
    "demander_ingenierie": _demander_ingenierie,
    "examiner_demande_ingenierie": _examiner_demande_ingenierie,
    # Accept, redirect or refuse, then commission and steer the missions: the national team holds the budget.
    "decider_demande_ingenierie": lambda user, objet=None: est_equipe_nationale(user),
    "piloter_mission": lambda user, objet=None: est_equipe_nationale(user),
    "declarer_jours": _declarer_jours,
    "deposer_livrable": _deposer_livrable,
    "valider_livrable": _valider_livrable,
    "evaluer_mission": _evaluer_mission,
    "rattacher_fiches_mission": _rattacher_fiches_mission,
    # Registering to events and writing in the network's space: its members (decision 0046).
    "echanger_reseau": lambda user, objet=None: membre_du_reseau(user),
    "animer_evenement": _animer_evenement,
    "planifier_evenement": _planifier_evenement,
    # Hide a message with a reason, lock or unlock a thread (decision 0051); reporting is any member's.
    "moderer_echanges": _moderer_echanges,
    # The resource centre, the directory and the figures of the network (decision 0049).
    "publier_ressource": _publier_ressource,
    "figurer_annuaire": lambda user, objet=None: bool(roles(user) & ROLES_DE_L_ANNUAIRE),
    "voir_chiffres_reseau": _voir_chiffres_reseau,
}


def peut(user, action: str, objet=None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return REGLES[action](user, objet)


def exiger(user, action: str, objet=None) -> None:
    if not peut(user, action, objet):
        raise PermissionDenied("Votre habilitation ne permet pas cette action.")
