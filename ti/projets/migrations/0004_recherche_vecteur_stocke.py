"""The search's French vector stored in a generated column, with its GIN index; an index for the default order.

Matching `to_tsvector('french', texte_recherche)` through an expression index was fast, but ranking recomputed the
vector of every matching fiche (ts_rank cannot read it from the index). Stored, it is computed once per write, by the
database: adding the column fills every existing row. The expression index of 0003 is no longer used: dropped.
SQLite gets a column of NULLs (it searches `texte_recherche` by substring).
"""

import django.contrib.postgres.search
from django.db import migrations, models

import ti.projets.models

INDEX = "projets_projet_vecteur_fr"
ANCIEN_INDEX = (
    "CREATE INDEX IF NOT EXISTS projets_projet_recherche_fr ON projets_projet "
    "USING gin (to_tsvector('french'::regconfig, texte_recherche))"
)


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON projets_projet USING gin (vecteur_recherche)")
        schema_editor.execute("DROP INDEX IF EXISTS projets_projet_recherche_fr")


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ANCIEN_INDEX)
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projets", "0003_recherche_postgresql")]

    operations = [
        migrations.AddField(
            model_name="projet",
            name="vecteur_recherche",
            field=models.GeneratedField(
                db_persist=True,
                expression=ti.projets.models.VecteurFrancais(),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.RunPython(creer, supprimer),
        migrations.AddIndex(
            model_name="projet",
            index=models.Index(fields=["-modifie_le", "-id"], name="projet_recents"),
        ),
    ]
