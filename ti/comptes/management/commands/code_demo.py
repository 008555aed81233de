"""The code of the moment of the demo accounts' second factor (ti/comptes/demo.py): `make run` without a phone."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes.demo import CLE_TOTP, DOMAINE, NOM_APPLICATION_DEMO


class Command(BaseCommand):
    help = "Affiche le code de double authentification du moment des comptes de démonstration."

    def handle(self, *args, **options):
        # Only the demo key, on demo accounts: never a real account's secret.
        appareils = TOTPDevice.objects.filter(
            name=NOM_APPLICATION_DEMO, key=CLE_TOTP, user__email__endswith=f"@{DOMAINE}", confirmed=True
        ).select_related("user")
        if not appareils:
            raise CommandError("Aucun compte de démonstration : lancez d’abord « python manage.py charger_demo ».")
        for appareil in appareils:
            code = totp(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift)
            self.stdout.write(f"  {appareil.user.email}  {code:06d}")
        self.stdout.write("Chaque code vaut 30 secondes et ne sert qu’une fois.")
