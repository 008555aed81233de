"""The public aid page's texts for the Fonds vert 2024 scheme, when it already exists (a fresh database gets them
from the demo, ti/financements/demo.py, whose constants these are). Fields already written are left as they are."""

from django.db import migrations

CODE = "fonds-vert-ti-2024"


def ecrire_les_textes(apps, schema_editor):
    from ti.financements.demo import CALENDRIER, CONTACTS, TAUX_ET_PLAFONDS

    Dispositif = apps.get_model("financements", "Dispositif")
    dispositif = Dispositif.objects.filter(code=CODE).first()
    if dispositif is None:
        return
    textes = {"taux_et_plafonds": TAUX_ET_PLAFONDS, "calendrier": CALENDRIER, "contacts": CONTACTS}
    vides = {champ: texte for champ, texte in textes.items() if not getattr(dispositif, champ)}
    if vides:
        Dispositif.objects.filter(pk=dispositif.pk).update(**vides)


class Migration(migrations.Migration):
    dependencies = [("financements", "0009_contenu_de_la_page_d_aide")]

    operations = [migrations.RunPython(ecrire_les_textes, migrations.RunPython.noop)]
