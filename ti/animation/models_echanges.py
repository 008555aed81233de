"""The network's space: threads by theme and région, their replies (Markdown, an attachment each), the subscriptions
that decide who is told of a new message, and the reports of messages to the moderation."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from ti.comptes import permissions
from ti.core.antivirus import SERVABLES, FichierAnalyse


class Theme(models.TextChoices):
    DECARBONATION = "decarbonation", "Décarbonation"
    FONCIER = "foncier", "Foncier industriel"
    COMPETENCES = "competences", "Compétences et recrutement"
    FINANCEMENT = "financement", "Financements"
    INNOVATION = "innovation", "Innovation"
    AUTRE = "autre", "Autre"


def chemin_piece_jointe(message, nom_fichier: str) -> str:
    return f"animation/echanges/{uuid.uuid4().hex}/{nom_fichier}"


class Message(FichierAnalyse):
    """What the question of a thread and each reply share: a Markdown text, its author, an optional attachment
    (checked by ti/core/televersements.py, scanned by the antivirus), and the moderation's mask with its reason."""

    texte = models.TextField(help_text="Markdown : rendu et nettoyé à l’affichage (ti/animation/texte_riche.py).")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    fichier = models.FileField("pièce jointe", upload_to=chemin_piece_jointe, max_length=255, blank=True)
    nom_fichier = models.CharField(max_length=255, blank=True)
    type_mime = models.CharField(max_length=100, blank=True)
    taille = models.PositiveIntegerField(null=True, blank=True, help_text="En octets.")
    masque_le = models.DateTimeField("masqué le", null=True, blank=True)
    motif_masquage = models.CharField("motif du masquage", max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def masque(self) -> bool:
        return self.masque_le is not None

    @property
    def piece_jointe_servable(self) -> bool:
        return bool(self.fichier) and not self.masque and self.analyse in SERVABLES


class FilQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The network's space: its members only, never the public."""
        return self if permissions.peut(user, "echanger_reseau") else self.none()


class Fil(Message):
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    titre = models.CharField(max_length=200)
    region = models.ForeignKey(
        "referentiel.Region",
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide : une question pour tout le réseau national.",
    )
    verrouille_le = models.DateTimeField("verrouillé le", null=True, blank=True)  # no more replies
    abonnes = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Abonnement", related_name="+")

    objects = FilQuerySet.as_manager()

    class Meta:
        verbose_name = "fil de discussion"
        verbose_name_plural = "fils de discussion"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("animation:fil", args=[self.pk])

    @property
    def verrouille(self) -> bool:
        return self.verrouille_le is not None


class Reponse(Message):
    fil = models.ForeignKey(Fil, on_delete=models.CASCADE, related_name="reponses")

    class Meta:
        verbose_name = "réponse"
        ordering = ["cree_le", "pk"]

    def __str__(self):
        return f"Réponse de {self.auteur} à « {self.fil} »"

    def get_absolute_url(self):
        return f"{self.fil.get_absolute_url()}#reponse-{self.pk}"


class Abonnement(models.Model):
    """Who is told of each new message of a thread: its author and those who replied, from the start; anyone who
    subscribes; nobody who unsubscribed."""

    fil = models.ForeignKey(Fil, on_delete=models.CASCADE, related_name="abonnements")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fil", "utilisateur"], name="un_abonnement_par_fil")]

    def __str__(self):
        return f"{self.utilisateur} suit « {self.fil} »"


class Signalement(models.Model):
    """A member tells the moderation that a message breaks the rules; once per person and message. `reponse` empty:
    the thread's question itself."""

    fil = models.ForeignKey(Fil, on_delete=models.CASCADE, related_name="signalements")
    reponse = models.ForeignKey(Reponse, null=True, blank=True, on_delete=models.CASCADE, related_name="signalements")
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    motif = models.CharField(max_length=500)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fil", "par"], condition=models.Q(reponse__isnull=True), name="un_signalement_par_question"
            ),
            models.UniqueConstraint(
                fields=["reponse", "par"], condition=models.Q(reponse__isnull=False), name="un_signalement_par_reponse"
            ),
        ]

    def __str__(self):
        return f"Signalement de {self.par} ({self.motif[:40]})"
