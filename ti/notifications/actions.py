"""Writing notifications, reading them, and each person's choice of e-mails. Jobs call `notifier`."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from ti.core.travaux import differer
from ti.notifications.models import Frequence, Notification, Preference


@transaction.atomic
def notifier(*, destinataires: Iterable[int], type: str, gabarit: str, contexte: dict, lien: str) -> int:
    """One notification per person (primary keys), its text and e-mail rendered once from `<gabarit>_sujet.txt`
    and `<gabarit>.txt`; the e-mail is queued for those who want one per event. Returns how many were told."""
    destinataires = sorted(set(destinataires))
    if not destinataires:
        return 0
    texte = render_to_string(f"{gabarit}_sujet.txt", contexte).strip()
    corps = render_to_string(f"{gabarit}.txt", contexte)
    creees = Notification.objects.bulk_create(
        Notification(destinataire_id=pk, type=type, texte=texte[:255], corps=corps, lien=lien) for pk in destinataires
    )
    recompter(destinataires)
    sans_courriel_immediat = set(
        Preference.objects.filter(utilisateur_id__in=destinataires)
        .exclude(frequence=Frequence.CHAQUE)
        .values_list("utilisateur_id", flat=True)
    )
    for notification in creees:
        if notification.destinataire_id not in sans_courriel_immediat:
            differer("ti.notifications.courriels.envoyer", notification.pk)
    return len(creees)


def recompter(utilisateurs: Iterable[int]) -> None:
    """The unread count kept on each account, recomputed from the rows in one query: not incremented, so that a
    count made stale by two concurrent writes is right again at the next write or read."""
    non_lues = (
        Notification.objects.non_lues()
        .filter(destinataire=OuterRef("pk"))
        .order_by()
        .values("destinataire")
        .annotate(n=Count("pk"))
        .values("n")
    )
    get_user_model().objects.filter(pk__in=list(utilisateurs)).update(
        notifications_non_lues=Coalesce(Subquery(non_lues), 0)
    )


@transaction.atomic
def marquer_lues(*, par, notifications) -> int:
    """Marks as read those of `notifications` that are `par`'s own and unread; returns how many."""
    lues = notifications.visible_to(par).non_lues().update(lue_le=timezone.now())
    recompter([par.pk])
    return lues


def frequence(utilisateur) -> str:
    preference = Preference.objects.filter(utilisateur=utilisateur).first()
    return preference.frequence if preference else Frequence.CHAQUE


def choisir_frequence(*, par, frequence: str) -> None:
    """Each person chooses for themself; no journal row: it changes nobody else's data."""
    Preference.objects.update_or_create(utilisateur=par, defaults={"frequence": Frequence(frequence)})
