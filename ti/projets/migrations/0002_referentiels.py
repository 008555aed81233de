from django.db import migrations


def charger(apps, schema_editor):
    from ti.projets.referentiels import charger

    charger(apps.get_model("projets", "Theme"), apps.get_model("projets", "Competence"), apps.get_model("projets", "Levier"))


class Migration(migrations.Migration):
    dependencies = [("projets", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
