"""The reminders of the coming events, scheduled in the job queue (django-q2's scheduler, run by the worker) every
hour."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

NOM = "Rappels des événements du réseau"


def planifier(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NOM,
        defaults={
            "func": "ti.animation.notifications.rappeler_evenements",
            "schedule_type": "H",  # hourly
            "repeats": -1,
            "next_run": timezone.now() + timedelta(minutes=5),
        },
    )


def retirer(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NOM).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("animation", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(planifier, retirer)]
