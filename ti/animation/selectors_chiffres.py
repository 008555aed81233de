"""The network's figures, computed by the database in a fixed number of queries: participation by territory and by
région, the people never reached, the open questions without answer (decision 0049).

Who is in the network, and where, comes from the active habilitations: a chef de projet or a binôme counts in his
territory (and its régions), a regional role in its région. The national team animates: it is not counted.
`regions` narrows everything to the régions of a regional referent; None is the whole programme."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from ti.animation.models import Fil, Inscription, Reponse, StatutInscription
from ti.comptes import permissions
from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation, Utilisateur
from ti.territoires.models import Territoire

ROLES_A_ATTEINDRE = sorted({*ROLES_REGIONAUX, *ROLES_TERRITORIAUX})
PREMIERS = 50  # people never reached and open questions listed on the page (all are counted)


def portee(user) -> set[str] | None:
    """None for the national team (the whole programme), else the régions of the referent."""
    return None if permissions.est_equipe_nationale(user) else permissions.regions_du_referent(user)


def _habilitations(regions: set[str] | None, roles) -> QuerySet:
    """The active habilitations of the roles, within the régions (a territory's régions, a regional role's)."""
    lignes = Habilitation.objects.actives().filter(role__in=sorted(roles), utilisateur__is_active=True)
    if regions is not None:
        territoires = Territoire.regions.through.objects.filter(region_id__in=regions).values("territoire_id")
        lignes = lignes.filter(Q(region_id__in=regions) | Q(territoire__in=territoires))
    return lignes


def _compter() -> dict:
    return {
        "inscriptions": Count("pk", distinct=True),
        "presences": Count("pk", filter=Q(present=True), distinct=True),
        "participants": Count("participant", distinct=True),
    }


def _chiffres(chiffres: dict, cle) -> dict:
    ligne = chiffres.get(cle, {})
    return {nom: ligne.get(nom, 0) for nom in ("inscriptions", "presences", "participants")}


def _inscriptions(regions, roles) -> QuerySet:
    """Registrations that held a seat (not cancelled, not the waiting list), joined to their holder's habilitation."""
    return Inscription.objects.filter(
        statut=StatutInscription.INSCRIT, participant__habilitations__in=_habilitations(regions, roles)
    )


def participation_par_territoire(regions: set[str] | None = None) -> list[dict]:
    """Per territory: its members (chefs de projet, binômes), how many came to at least one event, registrations and
    attendance. Two queries, whatever the number of events and people."""
    membres = (
        _habilitations(regions, ROLES_TERRITORIAUX)
        .values("territoire_id", "territoire__nom")
        .annotate(membres=Count("utilisateur", distinct=True))
        .order_by("territoire__nom")
    )
    inscrits = _inscriptions(regions, ROLES_TERRITORIAUX)
    chiffres = {
        ligne["territoire"]: ligne
        for ligne in inscrits.values(territoire=F("participant__habilitations__territoire_id"))
        .annotate(**_compter())
        .order_by()
    }
    return [
        {"nom": m["territoire__nom"], "membres": m["membres"], **_chiffres(chiffres, m["territoire_id"])}
        for m in membres
    ]


def participation_par_region(regions: set[str] | None = None) -> list[dict]:
    """Per région: the same figures for every network role of the région (its territories' teams, its regional roles).
    A territory of two régions counts in both."""
    region = Coalesce("region__code", "territoire__regions__code")
    membres = {
        ligne["code"]: ligne
        for ligne in _habilitations(regions, ROLES_A_ATTEINDRE)
        .values(code=region, nom=Coalesce("region__nom", "territoire__regions__nom"))
        .annotate(membres=Count("utilisateur", distinct=True))
        .order_by("nom")
        if ligne["code"] is not None
    }
    inscrits = _inscriptions(regions, ROLES_A_ATTEINDRE)
    chiffres = {
        ligne["code"]: ligne
        for ligne in inscrits.values(
            code=Coalesce(
                "participant__habilitations__region__code", "participant__habilitations__territoire__regions__code"
            )
        )
        .annotate(**_compter())
        .order_by()
    }
    lignes = [{**m, **_chiffres(chiffres, code)} for code, m in membres.items()]
    if regions is not None:
        lignes = [ligne for ligne in lignes if ligne["code"] in regions]
    return lignes


def jamais_atteints(regions: set[str] | None = None) -> QuerySet:
    """The network's members who never registered to an event nor wrote in the network's space."""
    return (
        Utilisateur.objects.filter(pk__in=_habilitations(regions, ROLES_A_ATTEINDRE).values("utilisateur_id"))
        .exclude(pk__in=Inscription.objects.values("participant_id"))
        .exclude(pk__in=Fil.objects.values("auteur_id"))
        .exclude(pk__in=Reponse.objects.values("auteur_id"))
        .order_by("nom", "prenom", "pk")
    )


def questions_sans_reponse(user) -> QuerySet:
    """The threads nobody answered yet, the oldest first."""
    return Fil.objects.visible_to(user).filter(reponses__isnull=True).select_related("auteur").order_by("cree_le", "pk")


@dataclass(frozen=True)
class Resume:
    membres: int
    jamais_atteints: int
    questions_sans_reponse: int
    inscriptions: int


def resume(user, regions: set[str] | None = None) -> Resume:
    """The summary of the national board: three counts in three queries."""
    membres = _habilitations(regions, ROLES_A_ATTEINDRE).values("utilisateur_id").distinct().count()
    return Resume(
        membres=membres,
        jamais_atteints=jamais_atteints(regions).count(),
        questions_sans_reponse=questions_sans_reponse(user).count(),
        inscriptions=_inscriptions(regions, ROLES_A_ATTEINDRE).values("pk").distinct().count(),
    )
