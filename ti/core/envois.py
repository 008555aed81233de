"""A creation form is processed once, however many times it is sent (double click, back and resend, slow network).

Each creation form carries a one-time token (`{% jeton_envoi %}`, templatetags/envois.py). The view, decorated with
`@une_seule_fois`, runs in one transaction that first records the token (unique): a second post of the same token
cannot record it again, and is sent where the first one led, with a message, instead of creating a duplicate. Two
posts at the same moment are serialised by the token's unique index: the second waits for the first to finish.

Only a post that succeeds (a redirection) consumes its token; when the form comes back with errors, the transaction
is rolled back and the corrected form can be sent with the same token. A post without a token (another client than
the platform's forms) is processed as before, without this protection.
"""

import re
import secrets
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from ti.core.models import EnvoiTraite

CHAMP = "jeton_envoi"
_JETON = re.compile(r"[A-Za-z0-9_-]{16,64}")
CONSERVATION = timedelta(days=1)
DEJA_ENVOYE = "Ce formulaire avait déjà été envoyé : voici ce que le premier envoi a enregistré."


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(24)


def premier_envoi(request, url: str) -> bool:
    """For a form whose effects cannot be rolled back with its page (files stored, a message sent, while the rest of
    the form comes back with its errors): records its token at once, in its own transaction, whatever follows. False
    when the token was already recorded: the form was sent before, and this post must do nothing. Each page carries
    a new token, so a form that came back with errors is sent again with another one. A post without a token is a
    first send."""
    jeton = request.POST.get(CHAMP, "")
    if not _JETON.fullmatch(jeton):
        return True
    try:
        with transaction.atomic():
            EnvoiTraite.objects.create(jeton=jeton, url=url)
    except IntegrityError:
        return False
    return True


def une_seule_fois(vue):
    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        jeton = request.POST.get(CHAMP, "") if request.method == "POST" else ""
        if not _JETON.fullmatch(jeton):
            return vue(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    envoi = EnvoiTraite.objects.create(jeton=jeton)
            except IntegrityError:
                messages.info(request, DEJA_ENVOYE)
                return redirect(EnvoiTraite.objects.get(jeton=jeton).url)
            reponse = vue(request, *args, **kwargs)
            if reponse.status_code in (301, 302, 303) and reponse.get("Location"):
                envoi.url = reponse["Location"]
                envoi.save(update_fields=["url"])
                EnvoiTraite.objects.filter(cree_le__lt=timezone.now() - CONSERVATION).delete()
            else:
                transaction.set_rollback(True)  # the form came back with errors: the token stays usable
            return reponse

    return enveloppe
