"""The daily digest, scheduled in the job queue (django-q2's scheduler, run by the worker) at 7:00, Paris time."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

NOM = "Résumé quotidien des notifications"


def planifier(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    demain = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=1)
    Schedule.objects.get_or_create(
        name=NOM,
        defaults={
            "func": "ti.notifications.courriels.envoyer_resume_quotidien",
            "schedule_type": "D",  # daily
            "repeats": -1,
            "next_run": datetime.combine(demain, time(7), tzinfo=ZoneInfo("Europe/Paris")),
        },
    )


def retirer(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NOM).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(planifier, retirer)]
