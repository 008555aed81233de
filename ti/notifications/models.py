"""In-app notifications (what happened, where to act) and each person's choice of e-mails about them."""

from django.conf import settings
from django.db import models


class Type(models.TextChoices):
    """The events people are told about, as the notification list names them."""

    DOSSIER_DEPOSE = "dossier_depose", "Dossier déposé"
    ETAPE_DOSSIER = "etape_dossier", "Étape d’instruction"
    CORRECTION_DEMANDEE = "correction_demandee", "Compléments demandés"
    DECISION = "decision", "Décision"
    AVIS_DEMANDE = "avis_demande", "Avis demandé"
    AVIS_RENDU = "avis_rendu", "Avis rendu"
    VERSEMENT = "versement", "Versement"
    MESSAGE = "message", "Nouveau message"
    PLAN_SOUMIS = "plan_soumis", "Plan d’action soumis"
    PLAN_VALIDE = "plan_valide", "Plan d’action validé"
    PLAN_RENVOYE = "plan_renvoye", "Plan d’action renvoyé"
    DEMANDE_SITE = "demande_site", "Demande d’investisseur sur un site"
    DEMANDE_INGENIERIE = "demande_ingenierie", "Demande d’accompagnement en ingénierie"
    LIVRABLE_INGENIERIE = "livrable_ingenierie", "Livrable d’une mission d’ingénierie"
    PLACE_EVENEMENT = "place_evenement", "Place confirmée à un événement"
    REPONSE_RESEAU = "reponse_reseau", "Réponse dans l’espace du réseau"
    RAPPEL_EVENEMENT = "rappel_evenement", "Rappel d’un événement"
    MENTION_RESEAU = "mention_reseau", "Mention dans l’espace du réseau"
    SIGNALEMENT_RESEAU = "signalement_reseau", "Message signalé à la modération"
    EVENEMENT_ANNULE = "evenement_annule", "Événement annulé"


class Frequence(models.TextChoices):
    CHAQUE = "chaque", "Un courriel à chaque événement"
    QUOTIDIEN = "quotidien", "Un résumé quotidien par courriel"
    AUCUN = "aucun", "Aucun courriel : je consulte mes notifications sur la plateforme"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Each person sees only their own notifications."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(destinataire=user)

    def non_lues(self):
        return self.filter(lue_le__isnull=True)


class Notification(models.Model):
    destinataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=40, choices=Type.choices)
    texte = models.CharField("texte", max_length=255)  # one line: the list's entry and the e-mail's subject
    corps = models.TextField("courriel")  # the e-mail sent for this event alone
    lien = models.CharField("lien", max_length=500)  # the path of the page where to act
    creee_le = models.DateTimeField("créée le", auto_now_add=True)
    lue_le = models.DateTimeField("lue le", null=True, blank=True)
    courriel_envoye_le = models.DateTimeField("courriel envoyé le", null=True, blank=True)  # alone or in a digest

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-creee_le", "-pk"]
        indexes = [
            models.Index(fields=["destinataire", "-creee_le"], name="notification_par_personne"),
            # The digest reads the notifications not yet e-mailed, and only those.
            models.Index(
                fields=["destinataire"],
                condition=models.Q(courriel_envoye_le__isnull=True),
                name="notification_a_envoyer",
            ),
        ]

    def __str__(self):
        return self.texte


class Preference(models.Model):
    """How a person wants to be told by e-mail; without a row, one e-mail per event."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    frequence = models.CharField("courriels", max_length=20, choices=Frequence.choices, default=Frequence.CHAQUE)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self):
        return self.get_frequence_display()
