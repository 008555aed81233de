"""Full-text search index on PostgreSQL (French configuration). SQLite uses a plain LIKE fallback."""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS projets_projet_recherche_fr ON projets_projet "
    "USING gin (to_tsvector('french'::regconfig, texte_recherche))"
)


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS projets_projet_recherche_fr")


class Migration(migrations.Migration):
    dependencies = [("projets", "0002_referentiels")]
    operations = [migrations.RunPython(creer, supprimer)]
