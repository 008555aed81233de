"""The network's life: events with their registrations and waiting list, and discussion threads by theme."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ti.comptes import permissions
from ti.core.etats import Machine


class TypeEvenement(models.TextChoices):
    FORMATION = "formation", "Formation"
    ATELIER = "atelier", "Atelier thématique"
    WEBINAIRE = "webinaire", "Webinaire"
    RENCONTRE_NATIONALE = "rencontre_nationale", "Rencontre nationale"
    RENCONTRE_REGIONALE = "rencontre_regionale", "Rencontre régionale"


class StatutEvenement(models.TextChoices):
    PROGRAMME = "programme", "Au programme"
    ANNULE = "annule", "Annulé"


CYCLE_EVENEMENT = Machine(
    champ="statut",
    etats=StatutEvenement,
    transitions={StatutEvenement.PROGRAMME: {StatutEvenement.ANNULE}},
    action="animation.statut_evenement",
    nom="Un événement",
)


class EvenementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public events for everyone; the others for the network only, and a région's events for its network."""
        return self.filter(permissions.q_evenements_visibles(user))

    def a_venir(self):
        return self.filter(fin__gte=timezone.now()).order_by("debut")


class Evenement(models.Model):
    titre = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=TypeEvenement.choices)
    description = models.TextField(blank=True)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField()
    lieu = models.CharField(max_length=300, blank=True)
    lien = models.URLField("lien de connexion", blank=True)
    public = models.BooleanField("ouvert au public", default=False)  # else: the network only
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide : tout le réseau national.",
    )
    capacite = models.PositiveIntegerField("nombre de places")
    cloture_inscriptions = models.DateTimeField("clôture des inscriptions")
    organisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    statut = models.CharField(max_length=10, choices=StatutEvenement.choices, default=StatutEvenement.PROGRAMME)
    motif_annulation = models.TextField("motif de l’annulation", blank=True)  # shown on the page and to registrants

    objects = EvenementQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["debut", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="evenement_fin")]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("animation:evenement", args=[self.pk])

    @property
    def annule(self) -> bool:
        return self.statut == StatutEvenement.ANNULE


class StatutInscription(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit"
    ATTENTE = "attente", "En liste d’attente"
    ANNULEE = "annulee", "Annulée"


CYCLE_INSCRIPTION = Machine(
    champ="statut",
    etats=StatutInscription,
    transitions={
        StatutInscription.ATTENTE: {StatutInscription.INSCRIT, StatutInscription.ANNULEE},  # promoted, or gives up
        StatutInscription.INSCRIT: {StatutInscription.ANNULEE},
        StatutInscription.ANNULEE: {StatutInscription.INSCRIT, StatutInscription.ATTENTE},  # registers again
    },
    action="animation.statut_inscription",
    nom="Une inscription",
)


class Inscription(models.Model):
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="inscriptions")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    statut = models.CharField(max_length=10, choices=StatutInscription.choices)
    # The waiting list's order: the time of the last (re)registration.
    depuis = models.DateTimeField(default=timezone.now)
    present = models.BooleanField("présent", null=True)  # recorded by the organiser after the event
    rappel_envoye_le = models.DateTimeField("rappel envoyé le", null=True, blank=True)  # once per registration

    class Meta:
        ordering = ["depuis", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evenement", "participant"], name="une_inscription_par_personne")
        ]

    def __str__(self):
        return f"{self.participant} — {self.evenement}"


class FluxAgenda(models.Model):
    """A person's calendar feed: a secret address that calendar applications read without logging in; renewing it
    replaces the secret, and the old address stops working."""

    utilisateur = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    jeton = models.CharField(max_length=64, unique=True)
    cree_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "flux d’agenda"

    def __str__(self):
        return f"Agenda de {self.utilisateur}"

    def get_absolute_url(self):
        return reverse("animation:flux", args=[self.jeton])


# The network's space (decision 0051), the resource centre and the directory (decision 0049) live in their own
# modules; imported here so that Django finds their models.
from ti.animation.models_annuaire import ExpertiseAnnuaire, FicheAnnuaire  # noqa: E402, F401
from ti.animation.models_echanges import Abonnement, Fil, Reponse, Signalement, Theme  # noqa: E402, F401
from ti.animation.models_ressources import Etiquette, Ressource, VersionRessource  # noqa: E402, F401
