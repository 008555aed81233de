"""Notices of the network's life: jobs of the queue (`ti.core.travaux.differer`), given primary keys, and the
reminders, run by the queue's scheduler every hour (migration 0002) or by `manage.py rappeler_evenements`."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ti.comptes.notifications import url_absolue
from ti.notifications.actions import notifier
from ti.notifications.models import Type


def place_confirmee(inscription_pk: int) -> int:
    from ti.animation.models import Inscription

    inscription = Inscription.objects.select_related("evenement").get(pk=inscription_pk)
    evenement = inscription.evenement
    return notifier(
        destinataires=[inscription.participant_id],
        type=Type.PLACE_EVENEMENT,
        gabarit="animation/emails/place_confirmee",
        contexte={"evenement": evenement, "url": url_absolue(evenement.get_absolute_url())},
        lien=evenement.get_absolute_url(),
    )


AVANCE_RAPPEL = timedelta(hours=48)


@transaction.atomic
def rappeler_evenements() -> int:
    """Tells the registered people of the events starting within 48 hours, once each; returns how many were told.
    The registrations are locked while they are read, so that two runs at the same time never remind twice."""
    from ti.animation.models import Evenement, Inscription, StatutEvenement, StatutInscription

    maintenant = timezone.now()
    a_rappeler = list(
        Inscription.objects.select_for_update()
        .filter(
            statut=StatutInscription.INSCRIT,
            rappel_envoye_le__isnull=True,
            evenement__statut=StatutEvenement.PROGRAMME,
            evenement__debut__gt=maintenant,
            evenement__debut__lte=maintenant + AVANCE_RAPPEL,
        )
        .values_list("pk", "evenement_id", "participant_id")
    )
    par_evenement = {}
    for _, evenement_id, participant_id in a_rappeler:
        par_evenement.setdefault(evenement_id, []).append(participant_id)
    prevenus = 0
    for evenement in Evenement.objects.filter(pk__in=par_evenement):
        prevenus += notifier(
            destinataires=par_evenement[evenement.pk],
            type=Type.RAPPEL_EVENEMENT,
            gabarit="animation/emails/rappel",
            contexte={"evenement": evenement, "url": url_absolue(evenement.get_absolute_url())},
            lien=evenement.get_absolute_url(),
        )
    Inscription.objects.filter(pk__in=[pk for pk, _, _ in a_rappeler]).update(rappel_envoye_le=maintenant)
    return prevenus


def evenement_annule(evenement_pk: int) -> int:
    """The people registered or waiting are told of the cancellation and its reason."""
    from ti.animation.models import Evenement, StatutInscription

    evenement = Evenement.objects.get(pk=evenement_pk)
    personnes = evenement.inscriptions.exclude(statut=StatutInscription.ANNULEE).values_list(
        "participant_id", flat=True
    )
    return notifier(
        destinataires=personnes,
        type=Type.EVENEMENT_ANNULE,
        gabarit="animation/emails/evenement_annule",
        contexte={"evenement": evenement, "url": url_absolue(evenement.get_absolute_url())},
        lien=evenement.get_absolute_url(),
    )
