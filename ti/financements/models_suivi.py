"""What follows a filed dossier: the opinions asked of ADEME, the Région and the governance, the thread between the
porteur and the instructors, and the payments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ti.core.champs import MONTANT


class Avis(models.Model):
    class Type(models.TextChoices):
        ADEME = "ademe", "Avis technique de l’ADEME"
        REGION = "region", "Avis du Conseil régional"
        GOUVERNANCE = "gouvernance", "Accord de la gouvernance du territoire"

    class Sens(models.TextChoices):
        FAVORABLE = "favorable", "Favorable"
        RESERVE = "reserve", "Réservé"
        DEFAVORABLE = "defavorable", "Défavorable"

    dossier = models.ForeignKey("financements.Dossier", on_delete=models.CASCADE, related_name="avis")
    type = models.CharField(max_length=20, choices=Type.choices)
    demande_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demande_le = models.DateTimeField(auto_now_add=True)
    echeance = models.DateField("à rendre avant le")
    relance_le = models.DateTimeField(null=True, blank=True)
    sens = models.CharField(max_length=20, choices=Sens.choices, blank=True)
    texte = models.TextField(blank=True)
    rendu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rendu_le = models.DateTimeField(null=True, blank=True)
    version_jugee = models.PositiveIntegerField(
        "version des montants jugée", null=True, blank=True, help_text="The dossier's `version_montants` it judged."
    )
    montant_recommande = models.DecimalField("montant recommandé (€)", null=True, blank=True, **MONTANT)

    class Meta:
        verbose_name = "avis"
        verbose_name_plural = "avis"
        ordering = ["demande_le", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "type"], condition=Q(rendu_le__isnull=True), name="avis_un_seul_en_attente"
            )
        ]
        # The opinions awaited, oldest deadline first: the instructors' « Avis en retard ».
        indexes = [
            models.Index(
                fields=["echeance", "id"], condition=Q(rendu_le__isnull=True), name="avis_en_attente_par_echeance"
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} sur {self.dossier.reference}"

    @property
    def en_retard(self) -> bool:
        return self.rendu_le is None and self.echeance < timezone.localdate()

    @property
    def perime(self) -> bool:
        """Given on amounts the porteur has changed since: shown, but no longer counts as given."""
        return self.version_jugee is not None and self.version_jugee < self.dossier.version_montants


class Message(models.Model):
    """The thread between the porteur and the instructors of a dossier."""

    dossier = models.ForeignKey("financements.Dossier", on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField()
    envoye_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["envoye_le", "pk"]

    def __str__(self):
        return f"Message du {self.envoye_le:%d/%m/%Y} sur {self.dossier.reference}"


class Versement(models.Model):
    class Type(models.TextChoices):
        AVANCE = "avance", "Avance"
        ACOMPTE = "acompte", "Acompte"
        SOLDE = "solde", "Solde"

    dossier = models.ForeignKey("financements.Dossier", on_delete=models.PROTECT, related_name="versements")
    type = models.CharField(max_length=20, choices=Type.choices)
    montant = models.DecimalField("montant (€)", **MONTANT)
    date = models.DateField("date de paiement")
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enregistre_le = models.DateTimeField(auto_now_add=True)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=Q(type="solde"), name="versement_un_seul_solde")
        ]

    def __str__(self):
        return f"{self.get_type_display()} de {self.montant} € ({self.dossier.reference})"
