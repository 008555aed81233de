"""The national list of past Fonds vert awards (docs/decisions/0016 and 0035): dossiers, their lines, their imports.

A row of the published file is one awarded line, not one dossier: a grouped operation (several communes, several
beneficiaries or several budget lines) comes as several rows with the same démarche and dossier numbers. It is
stored as one `AttributionFondsVert` (the dossier, its total) with one `LigneFondsVert` per row, each placed on its
commune, région and territories.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from ti.core.champs import MONTANT
from ti.referentiel.models import Commune, Region
from ti.territoires.models import Territoire


class AttributionFondsVert(models.Model):
    """One awarded dossier of the national list; its amount is the total of its lines, written by the import."""

    annee = models.PositiveSmallIntegerField("année", db_index=True)
    axe = models.CharField(max_length=100)
    numero_demarche = models.CharField(max_length=20)
    nom_demarche = models.CharField(max_length=255)
    numero_dossier = models.CharField(max_length=20)
    nom_projet = models.TextField()
    montant_engage = models.DecimalField("montant engagé, total des lignes", **MONTANT)
    nombre_lignes = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "dossier attribué du Fonds vert"
        verbose_name_plural = "dossiers attribués du Fonds vert"
        constraints = [models.UniqueConstraint(fields=["numero_demarche", "numero_dossier"], name="attribution_unique")]

    def __str__(self):
        return f"{self.numero_dossier} — {self.nom_projet[:60]}"


class LigneFondsVert(models.Model):
    """One row of the file: the part of a dossier that goes to one commune, beneficiary or budget line."""

    attribution = models.ForeignKey(AttributionFondsVert, on_delete=models.CASCADE, related_name="lignes")
    rang = models.PositiveIntegerField(help_text="rang de la ligne dans son dossier, dans l’ordre du fichier")
    ligne_fichier = models.PositiveIntegerField("ligne du fichier importé")
    nom_region = models.CharField(max_length=100)
    code_departement = models.CharField(max_length=3)
    code_commune = models.CharField(max_length=5)
    nom_commune = models.CharField(max_length=150)
    beneficiaire = models.CharField(max_length=255)
    siren = models.CharField(max_length=9)
    montant_engage = models.DecimalField(**MONTANT)

    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    territoires = models.ManyToManyField(Territoire, related_name="lignes_fonds_vert", blank=True)

    class Meta:
        verbose_name = "ligne d’un dossier du Fonds vert"
        verbose_name_plural = "lignes des dossiers du Fonds vert"
        ordering = ["attribution", "rang"]
        constraints = [models.UniqueConstraint(fields=["attribution", "rang"], name="ligne_fonds_vert_unique")]

    def __str__(self):
        return f"{self.attribution.numero_dossier} ligne {self.rang}"


class ImportFondsVert(models.Model):
    """A yearly file uploaded by the national team: its preview, then its run, with the progress of the run."""

    class Statut(models.TextChoices):
        APERCU = "apercu", "Aperçu, en attente de confirmation"
        EN_ATTENTE = "en_attente", "Confirmé, en attente d’exécution"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHOUE = "echoue", "Refusé, rien n’a été modifié"

    fichier = models.FileField(upload_to="imports-fonds-vert/%Y/%m/", max_length=255)
    nom_fichier = models.CharField(max_length=255)
    empreinte = models.CharField("SHA-256 du fichier", max_length=64)
    annee = models.PositiveSmallIntegerField("année")
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    confirme_le = models.DateTimeField(null=True, blank=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.APERCU)
    lignes_total = models.PositiveIntegerField(default=0)
    lignes_traitees = models.PositiveIntegerField(default=0)
    apercu = models.JSONField("rapport de l’aperçu", default=dict)
    resultat = models.JSONField("rapport de l’exécution", default=dict, blank=True)

    class Meta:
        verbose_name = "import des attributions du Fonds vert"
        verbose_name_plural = "imports des attributions du Fonds vert"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Fonds vert {self.annee} — {self.nom_fichier}"

    def get_absolute_url(self):
        return reverse("financements:import_fonds_vert", args=[self.pk])

    @property
    def en_cours(self) -> bool:
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)
