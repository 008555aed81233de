"""The e-mails of notifications, run by the job queue: one per event, or one daily digest per person.

Both are safe to run again (a retry, the cron command and the scheduler on the same day): a notification is
e-mailed once, marked in the transaction that sends it."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ti.comptes.notifications import url_absolue
from ti.notifications.models import Frequence, Notification, Preference

logger = logging.getLogger(__name__)


@transaction.atomic
def envoyer(notification_pk: int) -> bool:
    """The e-mail of one notification; False if it was already sent."""
    notification = (
        Notification.objects.select_for_update(of=("self",)).select_related("destinataire").get(pk=notification_pk)
    )
    if notification.courriel_envoye_le:
        return False
    send_mail(notification.texte, notification.corps, None, [notification.destinataire.email])
    notification.courriel_envoye_le = timezone.now()
    notification.save(update_fields=["courriel_envoye_le"])
    return True


def a_resumer():
    """The unread notifications not yet e-mailed of the people who chose the daily digest."""
    quotidiens = Preference.objects.filter(frequence=Frequence.QUOTIDIEN).values("utilisateur_id")
    return Notification.objects.non_lues().filter(courriel_envoye_le__isnull=True, destinataire_id__in=quotidiens)


def envoyer_resume_quotidien() -> int:
    """One digest per person who has something new; returns how many were sent.

    A failing address does not stop the others; the job then fails, so that it is retried and shown."""
    envoyes, echecs = 0, []
    for destinataire_pk in a_resumer().order_by().values_list("destinataire_id", flat=True).distinct():
        try:
            envoyes += _resume(destinataire_pk)
        except Exception:
            logger.exception("Résumé quotidien non envoyé à l’utilisateur %s", destinataire_pk)
            echecs.append(destinataire_pk)
    if echecs:
        raise RuntimeError(f"{len(echecs)} résumé(s) non envoyé(s) sur {envoyes + len(echecs)}.")
    return envoyes


@transaction.atomic
def _resume(destinataire_pk: int) -> int:
    notifications = list(
        a_resumer()
        .filter(destinataire_id=destinataire_pk)
        .select_for_update(of=("self",))
        .select_related("destinataire")
        .order_by("creee_le", "pk")
    )
    if not notifications:  # sent meanwhile by another run
        return 0
    contexte = {
        "notifications": notifications,
        "site": url_absolue(""),
        "url_notifications": url_absolue(reverse("notifications:liste")),
    }
    sujet = render_to_string("notifications/emails/resume_quotidien_sujet.txt", contexte).strip()
    corps = render_to_string("notifications/emails/resume_quotidien.txt", contexte)
    send_mail(sujet, corps, None, [notifications[0].destinataire.email])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(courriel_envoye_le=timezone.now())
    return 1
