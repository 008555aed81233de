"""`manage.py rappeler_evenements`: the reminders of the coming events, for a cron when the queue's scheduler is not
used. Safe to run along the scheduler: a registration is reminded once."""

from django.core.management.base import BaseCommand

from ti.animation.notifications import rappeler_evenements


class Command(BaseCommand):
    help = "Rappelle aux inscrits les événements du réseau qui commencent dans les 48 heures."

    def handle(self, *args, **options):
        self.stdout.write(f"{rappeler_evenements()} rappel(s) envoyé(s).")
