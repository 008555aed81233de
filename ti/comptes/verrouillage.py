"""Lockout after failed logins (django-axes), so that nobody can lock a person out from everywhere.

Failures count per account *and* client address (`parametres_de_verrouillage`, the address from
`ti.core.reseau.adresse_client`): an attacker elsewhere who tries a victim's e-mail locks only himself out,
never the victim at her own desk. To bound what one address may try across many accounts, an address is also
refused after `AXES_ECHECS_PAR_ADRESSE` failures within the cool-off time, whatever the accounts; that bound is
higher than the one per account, since a whole office may share one address.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def echecs_de_l_adresse(request) -> int:
    tentatives = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gt=get_cool_off_threshold(request)
    )
    return tentatives.aggregate(total=Sum("failures_since_start"))["total"] or 0


class VerrouillageParCompteEtAdresse(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures on this account from this address; the lockout's count as soon as the address is beyond its bound.

        django-axes compares this count with AXES_FAILURE_LIMIT both before a login (refusal) and after a failure
        (the lockout page), so the bound per address acts at both places.
        """
        echecs = super().get_failures(request, credentials)
        # A ProConnect return carries no username: not counted, nor refused here (see parametres_de_verrouillage).
        if (credentials or {}).get("username") and echecs_de_l_adresse(request) >= settings.AXES_ECHECS_PAR_ADRESSE:
            return max(echecs, get_failure_limit(request, credentials))
        return echecs
