"""For the national team: the jobs of the queue that failed (e-mails, notifications, digests), and what waits."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django_q.models import Failure, OrmQ

from ti.comptes import permissions

DERNIERS_ECHECS = 100

LIBELLES = {  # a job's function → what it does, in the words of the page
    "ti.notifications.courriels.envoyer": "Courriel d’une notification",
    "ti.notifications.courriels.envoyer_resume_quotidien": "Résumé quotidien",
    "ti.comptes.notifications.compte_ouvert": "Courriel d’ouverture de compte",
    "ti.comptes.notifications.reinitialisation": "Courriel de nouveau mot de passe",
    "ti.comptes.notifications.habilitation_accordee": "Courriel d’habilitation accordée",
    "ti.comptes.notifications.habilitation_revoquee": "Courriel d’habilitation retirée",
}


@login_required
def echecs(request):
    permissions.exiger(request.user, "suivre_travaux")
    derniers = Failure.objects.order_by("-stopped").only("func", "args", "stopped", "attempt_count", "result")
    lignes = [
        {
            "travail": LIBELLES.get(echec.func, "Notification" if ".notifications." in echec.func else echec.func),
            "arguments": ", ".join(map(str, echec.args or ())),
            "quand": echec.stopped,
            "tentatives": echec.attempt_count,
            "erreur": _derniere_ligne(echec.result),
        }
        for echec in derniers[:DERNIERS_ECHECS]
    ]
    maintenant = timezone.now()
    contexte = {
        "lignes": lignes,
        "en_attente": OrmQ.objects.filter(lock__lte=maintenant).count(),
        "a_reprendre": OrmQ.objects.filter(lock__gt=maintenant).count(),
    }
    return render(request, "notifications/echecs.html", contexte)


def _derniere_ligne(trace) -> str:
    """The exception's line of a traceback: what went wrong, without the stack."""
    lignes = [ligne for ligne in str(trace or "").splitlines() if ligne.strip()]
    return lignes[-1] if lignes else ""
