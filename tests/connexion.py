"""Logging in tests as the platform leaves a session after the password and, for the roles that need it, the
second factor (ti/comptes/double_facteur.py). The `client` fixture of tests/conftest.py and the bench scripts use
it, so that `client.force_login(instructeur)` gives a verified session while the requirement stays on."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes.double_facteur import NOM_APPLICATION
from ti.comptes.models import Habilitation
from ti.comptes.permissions import ROLES_A_DOUBLE_FACTEUR


def doit_donner_double_facteur(user) -> bool:
    """As `double_facteur.exige`, read afresh (the permission layer caches roles on the user object)."""
    return (
        user.is_staff
        or Habilitation.objects.actives().filter(utilisateur=user, role__in=ROLES_A_DOUBLE_FACTEUR).exists()
    )


def application_confirmee(user) -> TOTPDevice:
    """The user's confirmed authenticator application, enrolled if need be."""
    appareil = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return appareil or TOTPDevice.objects.create(user=user, name=NOM_APPLICATION, confirmed=True)


def code_actuel(appareil: TOTPDevice) -> str:
    """The code the application shows now (time-machine moves « now » in the tests that need it)."""
    return f"{totp(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift):06d}"


class ClientVerifie(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if doit_donner_double_facteur(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = application_confirmee(user).persistent_id
            session.save()
