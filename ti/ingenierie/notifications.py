"""Notifications of the engineering part: jobs of the queue (`ti.core.travaux.differer`), given primary keys."""

from ti.comptes.models import Habilitation, Role
from ti.comptes.notifications import url_absolue
from ti.notifications.actions import notifier
from ti.notifications.models import Type


def destinataires_demande(demande) -> list[int]:
    """The territory's team (chef de projet, binôme) follows every step; the région's roles and the national team,
    who triage, are told of what awaits them (submitted, under review)."""
    actives = Habilitation.objects.actives().filter(utilisateur__is_active=True)
    equipe = actives.filter(role__in=[Role.CHEF_PROJET, Role.BINOME], territoire_id=demande.territoire_id)
    if demande.statut == "soumise":
        equipe |= actives.filter(
            role__in=[Role.REFERENT_REGION, Role.INSTRUCTEUR], region__in=demande.territoire.regions.all()
        )
    elif demande.statut == "en_examen":
        equipe |= actives.filter(role=Role.EQUIPE_NATIONALE)
    return list(equipe.values_list("utilisateur_id", flat=True).distinct())


def demande_changee(demande_pk: int) -> int:
    from ti.ingenierie.models import Demande

    demande = Demande.objects.select_related("territoire", "offre_proposee").get(pk=demande_pk)
    return notifier(
        destinataires=destinataires_demande(demande),
        type=Type.DEMANDE_INGENIERIE,
        gabarit="ingenierie/emails/demande_changee",
        contexte={"demande": demande, "url": url_absolue(demande.get_absolute_url())},
        lien=demande.get_absolute_url(),
    )


def livrable_depose(livrable_pk: int) -> int:
    """The territory's team is asked to validate or send back the deliverable."""
    from ti.ingenierie.models import Livrable

    livrable = Livrable.objects.select_related("mission__territoire").get(pk=livrable_pk)
    mission = livrable.mission
    equipe = Habilitation.objects.actives().filter(
        utilisateur__is_active=True, role__in=[Role.CHEF_PROJET, Role.BINOME], territoire_id=mission.territoire_id
    )
    return notifier(
        destinataires=equipe.values_list("utilisateur_id", flat=True),
        type=Type.LIVRABLE_INGENIERIE,
        gabarit="ingenierie/emails/livrable_depose",
        contexte={"livrable": livrable, "mission": mission, "url": url_absolue(mission.get_absolute_url())},
        lien=mission.get_absolute_url(),
    )
