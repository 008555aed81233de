"""The daily anchor of the journal's chains, scheduled in the job queue (django-q2's scheduler) at 23:55, Paris."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations

NOM = "Ancre quotidienne du journal"


def planifier(apps, schema_editor):
    aujourd_hui = datetime.now(ZoneInfo("Europe/Paris")).date()
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NOM,
        defaults={
            "func": "ti.core.chaine.ancrer",
            "schedule_type": "D",  # daily
            "repeats": -1,
            "next_run": datetime.combine(aujourd_hui, time(23, 55), tzinfo=ZoneInfo("Europe/Paris")),
        },
    )


def retirer(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NOM).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_chaine_du_journal"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(planifier, retirer)]
