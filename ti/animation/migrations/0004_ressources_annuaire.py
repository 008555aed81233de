"""The resource centre (resources, versions, tags) and the directory (consented entries, themes of expertise).

The resources' French vector is a generated column (`ti.core.recherche`), with its GIN index on PostgreSQL only, as
the fiches-action's (projets 0004); SQLite gets a column of NULLs and searches `texte_recherche` by substring.
"""

import django.contrib.postgres.search
import django.db.models.deletion
import ti.animation.models_ressources
import ti.core.recherche
from django.conf import settings
from django.db import migrations, models


INDEX = "animation_ressource_vecteur_fr"


def creer_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON animation_ressource USING gin (vecteur_recherche)"
        )


def supprimer_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("animation", "0003_echanges_moderation_annulation"),
        ("referentiel", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Etiquette",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("nom", models.CharField(max_length=50, unique=True)),
            ],
            options={
                "verbose_name": "étiquette",
                "ordering": ["nom"],
            },
        ),
        migrations.CreateModel(
            name="FicheAnnuaire",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("consentement_le", models.DateTimeField(blank=True, null=True, verbose_name="consentement donné le")),
                ("retrait_le", models.DateTimeField(blank=True, null=True, verbose_name="consentement retiré le")),
                ("fonction", models.CharField(blank=True, max_length=200)),
                ("presentation", models.TextField(blank=True, max_length=1000, verbose_name="présentation")),
                ("telephone", models.CharField(blank=True, max_length=30, verbose_name="téléphone")),
                (
                    "montrer_courriel",
                    models.BooleanField(default=False, verbose_name="montrer mon adresse électronique"),
                ),
                ("montrer_telephone", models.BooleanField(default=False, verbose_name="montrer mon téléphone")),
                ("montrer_organisation", models.BooleanField(default=True, verbose_name="montrer mon organisation")),
                ("modifiee_le", models.DateTimeField(auto_now=True)),
                (
                    "utilisateur",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fiche_annuaire",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "fiche de l’annuaire",
                "verbose_name_plural": "fiches de l’annuaire",
            },
        ),
        migrations.CreateModel(
            name="Ressource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("titre", models.CharField(max_length=200)),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("guide", "Guide"),
                            ("fiche_methode", "Fiche méthode"),
                            ("modele", "Modèle de document"),
                            ("replay", "Replay"),
                            ("support", "Support de présentation"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "resume",
                    models.TextField(
                        help_text="Ce que la ressource apporte, en quelques lignes.", verbose_name="résumé"
                    ),
                ),
                (
                    "theme",
                    models.CharField(
                        choices=[
                            ("decarbonation", "Décarbonation"),
                            ("foncier", "Foncier industriel"),
                            ("competences", "Compétences et recrutement"),
                            ("financement", "Financements"),
                            ("innovation", "Innovation"),
                            ("autre", "Autre"),
                        ],
                        max_length=20,
                        verbose_name="thème",
                    ),
                ),
                (
                    "visibilite",
                    models.CharField(
                        choices=[
                            ("public", "Public : tout le monde"),
                            ("reseau", "Réseau : les membres du réseau connectés"),
                            ("region", "Région : le réseau d’une région"),
                        ],
                        default="reseau",
                        max_length=10,
                        verbose_name="visibilité",
                    ),
                ),
                (
                    "telechargements",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="téléchargements"),
                ),
                ("cree_le", models.DateTimeField(auto_now_add=True)),
                ("modifie_le", models.DateTimeField(auto_now=True)),
                ("texte_recherche", models.TextField(default="", editable=False)),
                (
                    "vecteur_recherche",
                    models.GeneratedField(
                        db_persist=True,
                        expression=ti.core.recherche.VecteurFrancais(),
                        output_field=django.contrib.postgres.search.SearchVectorField(null=True),
                    ),
                ),
                (
                    "etiquettes",
                    models.ManyToManyField(
                        blank=True, related_name="ressources", to="animation.etiquette", verbose_name="étiquettes"
                    ),
                ),
                (
                    "evenement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ressources",
                        to="animation.evenement",
                        verbose_name="événement",
                    ),
                ),
                (
                    "publiee_par",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        blank=True,
                        help_text="La région de la ressource (celle du référent qui la publie) ; vide : nationale.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referentiel.region",
                    ),
                ),
            ],
            options={
                "verbose_name": "ressource",
                "ordering": ["-modifie_le", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="VersionRessource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "analyse",
                    models.CharField(
                        choices=[
                            ("non_analyse", "Non analysé (aucun antivirus configuré)"),
                            ("en_attente", "En attente d’analyse antivirus"),
                            ("sain", "Analysé par l’antivirus"),
                            ("quarantaine", "En quarantaine : un virus a été détecté"),
                        ],
                        default="non_analyse",
                        max_length=20,
                        verbose_name="analyse antivirus",
                    ),
                ),
                ("analyse_le", models.DateTimeField(blank=True, null=True, verbose_name="analysé le")),
                ("menace", models.CharField(blank=True, max_length=255, verbose_name="menace détectée")),
                ("numero", models.PositiveIntegerField(verbose_name="numéro")),
                (
                    "fichier",
                    models.FileField(
                        blank=True, max_length=255, upload_to=ti.animation.models_ressources.chemin_version
                    ),
                ),
                ("nom", models.CharField(blank=True, max_length=255)),
                ("type_mime", models.CharField(blank=True, max_length=100)),
                ("taille", models.PositiveIntegerField(blank=True, help_text="En octets.", null=True)),
                (
                    "lien",
                    models.URLField(
                        blank=True,
                        help_text="Pour un replay hébergé ailleurs (vidéo, plateforme).",
                        verbose_name="lien",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="ce qui change")),
                (
                    "telechargements",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="téléchargements"),
                ),
                ("deposee_le", models.DateTimeField(auto_now_add=True)),
                (
                    "deposee_par",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "ressource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="versions", to="animation.ressource"
                    ),
                ),
            ],
            options={
                "verbose_name": "version d’une ressource",
                "verbose_name_plural": "versions des ressources",
                "ordering": ["-numero"],
            },
        ),
        migrations.AddField(
            model_name="ressource",
            name="derniere_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="animation.versionressource",
            ),
        ),
        migrations.CreateModel(
            name="ExpertiseAnnuaire",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "theme",
                    models.CharField(
                        choices=[
                            ("decarbonation", "Décarbonation"),
                            ("foncier", "Foncier industriel"),
                            ("competences", "Compétences et recrutement"),
                            ("financement", "Financements"),
                            ("innovation", "Innovation"),
                            ("autre", "Autre"),
                        ],
                        max_length=20,
                        verbose_name="thème",
                    ),
                ),
                (
                    "fiche",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="expertises",
                        to="animation.ficheannuaire",
                    ),
                ),
            ],
            options={
                "verbose_name": "thème d’expertise",
                "ordering": ["theme"],
                "constraints": [models.UniqueConstraint(fields=("fiche", "theme"), name="expertise_unique")],
            },
        ),
        migrations.AddConstraint(
            model_name="versionressource",
            constraint=models.UniqueConstraint(fields=("ressource", "numero"), name="version_ressource_unique"),
        ),
        migrations.AddConstraint(
            model_name="versionressource",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("fichier", ""), models.Q(("lien", ""), _negated=True)),
                    models.Q(models.Q(("fichier", ""), _negated=True), ("lien", "")),
                    _connector="OR",
                ),
                name="version_fichier_ou_lien",
            ),
        ),
        migrations.AddConstraint(
            model_name="ressource",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("visibilite", "region"), _negated=True), ("region__isnull", False), _connector="OR"
                ),
                name="ressource_region_si_visibilite_regionale",
            ),
        ),
        migrations.RunPython(creer_index, supprimer_index),
    ]
