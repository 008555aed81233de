"""Engineering: the région and the national team triage the requests, the national team decides and commissions,
the territory validates the deliverables it receives, the consultant works on his missions."""

from django.urls import reverse

from ti.comptes import permissions
from ti.espace.a_faire import Element, genre, lire
from ti.ingenierie.models import Demande, Livrable, Mission, StatutDemande, StatutLivrable, StatutMission
from ti.territoires.models import Territoire


def _element_demande(demande: Demande) -> Element:
    return Element(
        texte=f"Demande n°{demande.pk} — {demande.territoire.nom}",
        lien=demande.get_absolute_url(),
        precision=demande.offre.titre if demande.offre_id else "",
        quand=demande.cree_le,
        libelle_quand="créée le",
    )


def _demandes(user, statut: str):
    return (
        Demande.objects.visible_to(user)
        .filter(statut=statut)
        .select_related("territoire", "offre")
        .order_by("cree_le", "pk")
    )


@genre(90)
def demandes_a_examiner(user):
    """Submitted requests: the Conseil régional referent and the préfecture of the région look first."""
    if permissions.est_equipe_nationale(user):
        demandes = _demandes(user, StatutDemande.SOUMISE)
    else:
        mes_regions = permissions.regions_examinees(user)
        if not mes_regions:
            return None
        dans_mes_regions = Territoire.objects.filter(regions__in=mes_regions).values("pk")
        demandes = _demandes(user, StatutDemande.SOUMISE).filter(territoire__in=dans_mes_regions)
    return lire(
        "Demandes d’ingénierie à examiner",
        demandes,
        _element_demande,
        lien_tout=reverse("ingenierie:tableau"),
    )


def _de_l_equipe_nationale(user, titre: str, demandes):
    """Deciding on requests and commissioning missions: the national team, which holds the budget."""
    if not permissions.peut(user, "decider_demande_ingenierie"):
        return None
    return lire(titre, demandes, _element_demande, lien_tout=reverse("ingenierie:tableau"))


@genre(91)
def demandes_a_decider(user):
    return _de_l_equipe_nationale(user, "Demandes d’ingénierie à décider", _demandes(user, StatutDemande.EN_EXAMEN))


@genre(92)
def missions_a_commander(user):
    """Accepted requests that no mission answers yet."""
    acceptees = _demandes(user, StatutDemande.ACCEPTEE).filter(mission__isnull=True)
    return _de_l_equipe_nationale(user, "Missions à commander", acceptees)


@genre(93)
def livrables_a_valider(user):
    mes_territoires = permissions.territoires_demandeurs(user)
    if not mes_territoires:
        return None
    livrables = Livrable.objects.filter(
        statut=StatutLivrable.DEPOSE,
        mission__in=Mission.objects.filter(permissions.q_missions_visibles(user), territoire__in=mes_territoires),
    )
    return lire(
        "Livrables à valider",
        livrables.select_related("mission").order_by("depose_le", "pk"),
        lambda livrable: Element(
            texte=f"{livrable.titre} — {livrable.mission.intitule}",
            lien=livrable.mission.get_absolute_url(),
            quand=livrable.depose_le,
            libelle_quand="déposé le",
        ),
    )


@genre(94)
def missions_a_mener(user):
    """The consultant's missions to launch or under way."""
    if not permissions.est_consultant(user):
        return None
    missions = Mission.objects.filter(
        permissions.q_missions_visibles(user),
        consultants=user,
        statut__in=[StatutMission.A_LANCER, StatutMission.EN_COURS],
    )
    return lire(
        "Missions d’ingénierie en cours",
        missions.select_related("territoire").order_by("-annee", "pk"),
        lambda mission: Element(
            texte=mission.intitule,
            lien=mission.get_absolute_url(),
            precision=f"{mission.territoire.nom} — {mission.get_statut_display().lower()}",
        ),
        lien_tout=reverse("ingenierie:tableau"),
    )
