"""The network's resource centre: guides, method sheets, templates, replays and slides, with their versions.

Each upload is a new version; earlier ones are kept and listed. Who sees a resource is said by its visibility
(public, the network, one région's network) through `visible_to(user)`; out of scope is a 404 (decision 0049).
Searched in French by the platform's shared mechanism (`ti.core.recherche`, decision 0050)."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from ti.animation.models import Evenement
from ti.animation.models_echanges import Theme
from ti.comptes import permissions
from ti.core.antivirus import FichierAnalyse
from ti.core.recherche import VecteurFrancais
from ti.core.texte import cle_recherche


class TypeRessource(models.TextChoices):
    GUIDE = "guide", "Guide"
    FICHE_METHODE = "fiche_methode", "Fiche méthode"
    MODELE = "modele", "Modèle de document"
    REPLAY = "replay", "Replay"
    SUPPORT = "support", "Support de présentation"


class Visibilite(models.TextChoices):
    PUBLIC = "public", "Public : tout le monde"
    RESEAU = "reseau", "Réseau : les membres du réseau connectés"
    REGION = "region", "Région : le réseau d’une région"


class Etiquette(models.Model):
    nom = models.CharField(max_length=50, unique=True)

    class Meta:
        verbose_name = "étiquette"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class RessourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(permissions.q_ressources_visibles(user))


class Ressource(models.Model):
    titre = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=TypeRessource.choices)
    resume = models.TextField("résumé", help_text="Ce que la ressource apporte, en quelques lignes.")
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    etiquettes = models.ManyToManyField(Etiquette, blank=True, related_name="ressources", verbose_name="étiquettes")
    visibilite = models.CharField("visibilité", max_length=10, choices=Visibilite.choices, default=Visibilite.RESEAU)
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="La région de la ressource (celle du référent qui la publie) ; vide : nationale.",
    )
    evenement = models.ForeignKey(
        Evenement, null=True, blank=True, on_delete=models.PROTECT, related_name="ressources", verbose_name="événement"
    )
    # The last version, kept by the action that adds one: lists show it without reading every version.
    derniere_version = models.ForeignKey(
        "VersionRessource", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    telechargements = models.PositiveIntegerField("téléchargements", default=0, editable=False)
    publiee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    texte_recherche = models.TextField(editable=False, default="")
    vecteur_recherche = models.GeneratedField(
        expression=VecteurFrancais(), output_field=SearchVectorField(null=True), db_persist=True
    )

    objects = RessourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        ordering = ["-modifie_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="ressource_region_si_visibilite_regionale",
                condition=~models.Q(visibilite="region") | models.Q(region__isnull=False),
            )
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("animation:ressource", args=[self.pk])

    def calculer_texte_recherche(self, etiquettes: list[str]) -> str:
        """Title, summary, kind, theme and tags, accent-free: what the French search reads."""
        morceaux = [self.titre, self.resume, self.get_type_display(), self.get_theme_display(), *etiquettes]
        return cle_recherche(" ".join(morceaux))


def chemin_version(version, nom_fichier: str) -> str:
    return f"animation/ressources/{version.ressource_id}/{uuid.uuid4().hex}/{nom_fichier}"


class VersionRessource(FichierAnalyse):
    """One version of a resource: an uploaded file (checked and scanned like every upload) or, for a replay, a link."""

    ressource = models.ForeignKey(Ressource, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveIntegerField("numéro")
    fichier = models.FileField(upload_to=chemin_version, max_length=255, blank=True)
    nom = models.CharField(max_length=255, blank=True)
    type_mime = models.CharField(max_length=100, blank=True)
    taille = models.PositiveIntegerField(null=True, blank=True, help_text="En octets.")
    lien = models.URLField("lien", blank=True, help_text="Pour un replay hébergé ailleurs (vidéo, plateforme).")
    note = models.CharField("ce qui change", max_length=300, blank=True)
    telechargements = models.PositiveIntegerField("téléchargements", default=0, editable=False)
    deposee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deposee_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version d’une ressource"
        verbose_name_plural = "versions des ressources"
        ordering = ["-numero"]
        constraints = [
            models.UniqueConstraint(fields=["ressource", "numero"], name="version_ressource_unique"),
            models.CheckConstraint(
                name="version_fichier_ou_lien",
                condition=(models.Q(fichier="") & ~models.Q(lien="")) | (~models.Q(fichier="") & models.Q(lien="")),
            ),
        ]

    def __str__(self):
        return f"{self.ressource} — version {self.numero}"

    def get_absolute_url(self):
        return reverse("animation:telecharger_version", args=[self.ressource_id, self.numero])
