"""Notices of the network's life: jobs of the queue (`ti.core.travaux.differer`), given primary keys."""

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


def reponse_recue(reponse_pk: int) -> int:
    from ti.animation.models import Reponse

    reponse = Reponse.objects.select_related("fil", "auteur").get(pk=reponse_pk)
    fil = reponse.fil
    return notifier(
        destinataires=[fil.auteur_id],
        type=Type.REPONSE_RESEAU,
        gabarit="animation/emails/reponse_recue",
        contexte={"fil": fil, "reponse": reponse, "url": url_absolue(fil.get_absolute_url())},
        lien=fil.get_absolute_url(),
    )
