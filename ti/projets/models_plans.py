"""The territory's plan d'action — its versions, its workflow, its log — and the contrat de territoire it is annexed
to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ti.core.etats import Machine, Pas
from ti.core.models import TransitionBase
from ti.territoires.models import Territoire


class StatutPlan(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Soumis au binôme"
    VALIDE = "valide", "Validé"


# The plan's workflow, declared once: the actions move through it, the plan page offers its steps, the synthetic
# data walks it. A change after validation starts a new version (ti/projets/actions/plans.py).
CYCLE_PLAN = Machine(
    champ="statut",
    etats=StatutPlan,
    nom="Un plan",
    historique="transitions",
    pas={
        "soumettre": Pas({StatutPlan.BROUILLON}, {StatutPlan.SOUMIS}),
        "valider": Pas({StatutPlan.SOUMIS}, {StatutPlan.VALIDE}),  # by the binôme
        "renvoyer": Pas({StatutPlan.SOUMIS}, {StatutPlan.BROUILLON}),  # by the binôme, with a reason
    },
    refus={
        (StatutPlan.BROUILLON, StatutPlan.VALIDE): "Ce plan est un brouillon : il doit être soumis au binôme "
        "avant d’être validé.",
        (StatutPlan.BROUILLON, StatutPlan.BROUILLON): "Ce plan n’est pas soumis au binôme : il n’y a rien à renvoyer.",
        (StatutPlan.SOUMIS, StatutPlan.SOUMIS): "Ce plan est déjà soumis au binôme.",
        (StatutPlan.VALIDE, None): "La version {objet.numero} est validée : elle ne change plus. "
        "Toute modification d’une fiche-action ouvre une nouvelle version.",
    },
)
TRANSITIONS_PLAN = CYCLE_PLAN.transitions  # from → the states it may go to


class PlanActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans are the territory team's work: visible within the user's scope only."""
        return self.filter(territoire__in=Territoire.objects.du_perimetre(user))


class PlanAction(models.Model):
    """One version of a territory's plan d'action. Submitted and validated versions are frozen in `instantane`."""

    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="plans")
    numero = models.PositiveIntegerField("version")
    statut = models.CharField(max_length=20, choices=StatutPlan.choices, default=StatutPlan.BROUILLON)
    projets = models.ManyToManyField("projets.Projet", related_name="plans", blank=True, verbose_name="fiches-action")
    instantane = models.JSONField(
        default=list, blank=True, help_text="The fiches-action as they were when the version was submitted."
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    soumis_le = models.DateTimeField(null=True, blank=True)
    soumis_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valide_le = models.DateTimeField(null=True, blank=True)
    valide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = "plan d’action"
        verbose_name_plural = "plans d’action"
        ordering = ["territoire", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["territoire", "numero"], name="plan_version_unique"),
            # At most one version in progress (brouillon or soumis) per territory.
            models.UniqueConstraint(fields=["territoire"], condition=~Q(statut="valide"), name="plan_un_seul_en_cours"),
        ]

    def __str__(self):
        return f"Plan d’action de {self.territoire}, version {self.numero} ({self.get_statut_display().lower()})"

    def get_absolute_url(self):
        return reverse("projets:plan", args=[self.territoire.identifiant, self.numero])


class TransitionPlan(TransitionBase):
    """The log of a plan's state changes: who, when, from, to, why."""

    plan = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="transitions")
    de = models.CharField(max_length=20, choices=StatutPlan.choices)
    vers = models.CharField(max_length=20, choices=StatutPlan.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = "transition d’un plan d’action"
        verbose_name_plural = "historique des plans d’action"


class ContratTerritoire(models.Model):
    """The contrat de territoire to which the validated plan d'action is annexed."""

    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="contrats")
    intitule = models.CharField("intitulé", max_length=255)
    date_signature = models.DateField("date de signature", null=True, blank=True)
    plan = models.ForeignKey(
        PlanAction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contrats",
        verbose_name="plan d’action annexé",
    )

    class Meta:
        verbose_name = "contrat de territoire"
        verbose_name_plural = "contrats de territoire"
        ordering = ["territoire", "-date_signature"]

    def __str__(self):
        return self.intitule


class Signataire(models.Model):
    class Type(models.TextChoices):
        ETAT = "etat", "État"
        REGION = "region", "Région"
        EPCI = "epci", "EPCI"
        OPERATEUR = "operateur", "Opérateur"
        AUTRE = "autre", "Autre"

    contrat = models.ForeignKey(ContratTerritoire, on_delete=models.CASCADE, related_name="signataires")
    type = models.CharField(max_length=20, choices=Type.choices)
    organisme = models.CharField(max_length=255)
    representant = models.CharField("représenté par", max_length=255, blank=True)
    qualite = models.CharField("qualité", max_length=255, blank=True)
    date_signature = models.DateField("date de signature", null=True, blank=True)

    class Meta:
        ordering = ["contrat", "type", "organisme"]

    def __str__(self):
        return f"{self.organisme} ({self.get_type_display()})"
