"""`manage.py envoyer_resume_quotidien`: the daily digest, for a cron when the queue's scheduler is not used.

Safe to run along the scheduler: a notification is e-mailed once."""

from django.core.management.base import BaseCommand, CommandError

from ti.notifications.courriels import envoyer_resume_quotidien


class Command(BaseCommand):
    help = "Envoie le résumé quotidien des notifications à ceux qui l’ont choisi."

    def handle(self, *args, **options):
        try:
            envoyes = envoyer_resume_quotidien()
        except RuntimeError as echec:
            raise CommandError(str(echec)) from echec
        self.stdout.write(f"{envoyes} résumé(s) envoyé(s).")
