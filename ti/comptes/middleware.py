"""What a signed-in session may do: it expires (absolute and idle), and it needs a second factor for some roles."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from ti.comptes import double_facteur

CONNECTE_LE = "connecte_le"  # epoch seconds of the login
VU_LE = "vu_le"  # epoch seconds of the last request, written at most once a minute
VU_LE_ECRIT_TOUTES_LES = 60  # spare a session write on every request


@receiver(user_logged_in)
def _noter_connexion(sender, request, user, **kwargs):
    maintenant = int(time.time())
    request.session[CONNECTE_LE] = maintenant
    request.session[VU_LE] = maintenant


class ExpirationSessionMiddleware:
    """Ends a session SESSION_COOKIE_AGE after its login (absolute) or SESSION_INACTIVITE_MAX after its last
    request (idle), whatever Django's own expiry date became when the session was last saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session:  # signed in: read without loading the user
            maintenant = int(time.time())
            connecte_le = request.session.get(CONNECTE_LE, 0)
            vu_le = request.session.get(VU_LE, 0)
            if (
                maintenant - connecte_le > settings.SESSION_COOKIE_AGE
                or maintenant - vu_le > settings.SESSION_INACTIVITE_MAX
            ):
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
            if maintenant - vu_le >= VU_LE_ECRIT_TOUTES_LES:
                request.session[VU_LE] = maintenant
        return self.get_response(request)


# The pages a session waiting for its second factor may open.
PAGES_AVANT_DOUBLE_FACTEUR = {"comptes:double_facteur", "comptes:double_facteur_activer", "comptes:deconnexion"}


class DoubleFacteurMiddleware:
    """After django-otp's OTPMiddleware: an account that must give a second factor and has not in this session is
    sent to give it (or to enrol) before any other page; `ti.comptes.double_facteur.exige` says who."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not double_facteur.exige(user):
            return None
        if request.resolver_match.view_name in PAGES_AVANT_DOUBLE_FACTEUR:
            return None
        page = "comptes:double_facteur" if double_facteur.application(user) else "comptes:double_facteur_activer"
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
