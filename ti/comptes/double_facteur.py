"""Two-factor authentication (TOTP, django-otp) for those who decide on money and rights.

The national team, the regional instructors and the technical administrators give, after their password (or
ProConnect), a code from an authenticator application (RFC 6238) or one of their recovery codes. Until then their
session is allowed nothing but these pages and logout (`ti.comptes.middleware.DoubleFacteurMiddleware`).
django-otp keeps the devices, throttles wrong codes (2^(n-1) seconds after n failures) and marks the session as
verified (`django_otp.login`). Each step that changes a device is logged.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import login as marquer_verifie
from django_otp import verify_token
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes import permissions
from ti.core.etats import Refus
from ti.core.models import journaliser

NOM_APPLICATION = "Application d’authentification"
NOM_CODES_DE_SECOURS = "Codes de secours"
NOMBRE_CODES_DE_SECOURS = 10


def exige(user) -> bool:
    """Whether this account must give a second factor (the rule lives in the permission layer)."""
    return permissions.exige_double_facteur(user)


def application(user, *, confirmee: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmee).order_by("pk").first()


def application_a_confirmer(user) -> TOTPDevice:
    """The device being enrolled: the same secret across reloads of the page, until it is confirmed."""
    appareil = application(user, confirmee=False)
    return appareil or TOTPDevice.objects.create(user=user, name=NOM_APPLICATION, confirmed=False)


def secret_lisible(appareil: TOTPDevice) -> str:
    """The key in base32 by groups of four, as authenticator applications ask it when typed by hand."""
    secret = base64.b32encode(appareil.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(appareil: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG: drawn here, never sent to an outside service."""
    image = qrcode.make(appareil.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    sortie = io.BytesIO()
    image.save(sortie)
    return sortie.getvalue().decode().split("?>", 1)[-1]  # without the XML declaration, to sit inside the page


def _verifier(user, appareil, code: str):
    """The device that accepted the code, or a refusal that says why (throttled, or wrong)."""
    permis, infos = appareil.verify_is_allowed()
    if not permis and infos and infos.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        raise Refus("Trop de codes erronés : patientez quelques secondes avant d’en saisir un autre.")
    verifie = verify_token(user, appareil.persistent_id, code)
    if verifie is None:
        if isinstance(appareil, StaticDevice):
            raise Refus("Code de secours incorrect ou déjà utilisé.")
        raise Refus(
            "Code incorrect ou expiré. Saisissez le code à 6 chiffres affiché maintenant par votre application."
        )
    return verifie


def _normaliser(code: str) -> str:
    return "".join((code or "").split()).lower()


def confirmer_application(*, request, appareil: TOTPDevice, code: str) -> list[str]:
    """Enrolment: the first right code confirms the device and verifies the session; returns the recovery codes."""
    # Checked outside the transaction below: a wrong code's throttling must be kept, not rolled back.
    _verifier(request.user, appareil, _normaliser(code))
    with transaction.atomic():
        appareil.confirmed = True
        appareil.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user).exclude(pk=appareil.pk).delete()  # one application at a time
        codes = _nouveaux_codes(request.user)
        journaliser(acteur=request.user, action="double_facteur_active", objet=request.user, details={})
    request.session.cycle_key()  # a new session key for the newly trusted session
    marquer_verifie(request, appareil)
    return codes


def verifier(*, request, code: str) -> None:
    """Verification at login: the 6 digits of the application, or one recovery code (each works once)."""
    code = _normaliser(code)
    appareil = application(request.user) if code.isdigit() else _codes_de_secours(request.user)
    if appareil is None:
        raise Refus("Code incorrect. Saisissez le code à 6 chiffres affiché par votre application.")
    verifie = _verifier(request.user, appareil, code)
    request.session.cycle_key()
    marquer_verifie(request, verifie)
    if isinstance(verifie, StaticDevice):
        journaliser(
            acteur=request.user,
            action="code_de_secours_utilise",
            objet=request.user,
            details={"codes_restants": verifie.token_set.count()},
        )


def _codes_de_secours(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def codes_restants(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _nouveaux_codes(user) -> list[str]:
    appareil, _ = StaticDevice.objects.get_or_create(user=user, name=NOM_CODES_DE_SECOURS, defaults={"confirmed": True})
    appareil.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(NOMBRE_CODES_DE_SECOURS)]
    StaticToken.objects.bulk_create(StaticToken(device=appareil, token=code) for code in codes)
    return codes


@transaction.atomic
def regenerer_codes_de_secours(*, par) -> list[str]:
    """New recovery codes; the previous ones stop working."""
    codes = _nouveaux_codes(par)
    journaliser(acteur=par, action="codes_de_secours_regeneres", objet=par, details={})
    return codes
