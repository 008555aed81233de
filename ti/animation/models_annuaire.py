"""The directory of the network: a person is listed only with his consent, stored with its date and withdrawable at
any time, and shows only what he chose to show (decision 0049)."""

from django.conf import settings
from django.db import models

from ti.animation.models_echanges import Theme


class FicheAnnuaireQuerySet(models.QuerySet):
    def consenties(self):
        return self.filter(consentement_le__isnull=False)


class FicheAnnuaire(models.Model):
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fiche_annuaire"
    )
    consentement_le = models.DateTimeField("consentement donné le", null=True, blank=True)  # None: not listed
    retrait_le = models.DateTimeField("consentement retiré le", null=True, blank=True)
    fonction = models.CharField(max_length=200, blank=True)
    presentation = models.TextField("présentation", blank=True, max_length=1000)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    montrer_courriel = models.BooleanField("montrer mon adresse électronique", default=False)
    montrer_telephone = models.BooleanField("montrer mon téléphone", default=False)
    montrer_organisation = models.BooleanField("montrer mon organisation", default=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    objects = FicheAnnuaireQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche de l’annuaire"
        verbose_name_plural = "fiches de l’annuaire"

    def __str__(self):
        return f"Fiche de {self.utilisateur}"

    @property
    def consentie(self) -> bool:
        return self.consentement_le is not None


class ExpertiseAnnuaire(models.Model):
    """A theme on which the person offers his experience to the network."""

    fiche = models.ForeignKey(FicheAnnuaire, on_delete=models.CASCADE, related_name="expertises")
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)

    class Meta:
        verbose_name = "thème d’expertise"
        ordering = ["theme"]
        constraints = [models.UniqueConstraint(fields=["fiche", "theme"], name="expertise_unique")]

    def __str__(self):
        return self.get_theme_display()
