"""Apply the retention rule of accounts (ti/comptes/conservation.py); daily from the scheduler, or by hand."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ti.comptes import conservation


class Command(BaseCommand):
    help = (
        "Anonymise les comptes sans connexion ni habilitation depuis CONSERVATION_COMPTES_ANS ans "
        "(le journal est conservé). --simulation : liste sans rien modifier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--simulation", "--dry-run", action="store_true", dest="simulation")

    def handle(self, *args, simulation: bool, **options):
        comptes = list(conservation.comptes_a_anonymiser())
        ans = settings.CONSERVATION_COMPTES_ANS
        for compte in comptes:
            derniere = (compte.last_login or compte.date_joined).date()
            self.stdout.write(f"  compte n° {compte.pk} ({compte.email}), dernière activité le {derniere:%d/%m/%Y}")
            if not simulation:
                conservation.anonymiser(compte)
        verbe = "seraient anonymisés" if simulation else "anonymisés"
        self.stdout.write(self.style.SUCCESS(f"{len(comptes)} compte(s) inactif(s) depuis plus de {ans} ans {verbe}."))
