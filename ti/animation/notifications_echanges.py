"""Notices of the network's space, jobs of the queue (`ti.core.travaux.differer`) given primary keys: a new reply
for the thread's subscribers, a mention for the people named, a report for the moderators. Each person is told once
per message, by the most precise notice (a mention before a reply), and only while still in the network."""

from django.contrib.auth import get_user_model

from ti.comptes import permissions
from ti.comptes.models import Habilitation
from ti.comptes.notifications import url_absolue
from ti.notifications.actions import notifier
from ti.notifications.models import Type


def _du_reseau(pks) -> set[int]:
    """Those of `pks` still in the network: someone who left it is told nothing more of its space."""
    membres = get_user_model().objects.filter(permissions.q_membres_du_reseau(), pk__in=set(pks))
    return set(membres.values_list("pk", flat=True))


def _contexte(fil, message) -> dict:
    return {"fil": fil, "message": message, "url": url_absolue(message.get_absolute_url())}


def message_publie(reponse_pk: int, mentionnes: list[int]) -> int:
    """A reply: the people it mentions, the thread's author (if he follows it), its other subscribers."""
    from ti.animation.models import Reponse

    reponse = Reponse.objects.select_related("fil", "auteur").get(pk=reponse_pk)
    if reponse.masque:  # hidden by the moderation before the notice went out
        return 0
    fil = reponse.fil
    # Those who followed the thread when the reply was written (a later job must not tell a newer subscriber).
    abonnes = set(fil.abonnements.filter(cree_le__lte=reponse.cree_le).values_list("utilisateur_id", flat=True))
    destinataires = _du_reseau(abonnes | set(mentionnes)) - {reponse.auteur_id}
    nommes = destinataires & set(mentionnes)
    contexte, lien = _contexte(fil, reponse), reponse.get_absolute_url()
    envoyes = notifier(destinataires=nommes, type=Type.MENTION_RESEAU, gabarit="animation/emails/mention",
                       contexte=contexte, lien=lien)  # fmt: skip
    suiveurs = (destinataires & abonnes) - nommes
    envoyes += notifier(destinataires=suiveurs & {fil.auteur_id}, type=Type.REPONSE_RESEAU,
                        gabarit="animation/emails/reponse_recue", contexte=contexte, lien=lien)  # fmt: skip
    envoyes += notifier(destinataires=suiveurs - {fil.auteur_id}, type=Type.REPONSE_RESEAU,
                        gabarit="animation/emails/reponse_fil_suivi", contexte=contexte, lien=lien)  # fmt: skip
    return envoyes


def mentionnes_dans_la_question(fil_pk: int, mentionnes: list[int]) -> int:
    from ti.animation.models import Fil

    fil = Fil.objects.select_related("auteur").get(pk=fil_pk)
    if fil.masque:
        return 0
    return notifier(
        destinataires=_du_reseau(mentionnes) - {fil.auteur_id},
        type=Type.MENTION_RESEAU,
        gabarit="animation/emails/mention",
        contexte=_contexte(fil, fil),
        lien=fil.get_absolute_url(),
    )


def signalement_recu(signalement_pk: int) -> int:
    """The moderators of the thread: the national team, the Conseil régional referents of its région."""
    from ti.animation.models import Signalement

    signalement = Signalement.objects.select_related("fil", "reponse", "par").get(pk=signalement_pk)
    fil = signalement.fil
    message = signalement.reponse or fil
    moderateurs = Habilitation.objects.actives().filter(permissions.q_moderateurs(fil.region_id))
    return notifier(
        destinataires=moderateurs.values_list("utilisateur_id", flat=True),
        type=Type.SIGNALEMENT_RESEAU,
        gabarit="animation/emails/signalement",
        contexte={**_contexte(fil, message), "signalement": signalement},
        lien=message.get_absolute_url(),
    )
