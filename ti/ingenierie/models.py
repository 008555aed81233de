"""Engineering support: the offer of the ANCT and of the operators (a public catalogue), the territories' requests
for support on their fiches-action, and the missions commissioned to consulting firms.

Requests and missions follow their workflows through `ti.core.etats.Machine`; who sees what is said in
`ti.comptes.permissions` (a consultant sees his missions and nothing else)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from ti.core.etats import Machine
from ti.territoires.models import Territoire

EUROS = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Theme(models.TextChoices):
    INNOVATION = "innovation", "Innovation"
    TRANSITION_ECOLOGIQUE = "transition_ecologique", "Transition écologique"
    FONCIER = "foncier", "Foncier"
    COMPETENCES = "competences", "Compétences et emploi"
    ATTRACTIVITE = "attractivite", "Attractivité et international"
    FINANCEMENT = "financement", "Financement des projets"


class Nature(models.TextChoices):
    SUR_MESURE = "sur_mesure", "Ingénierie sur mesure"
    EXPERTISE = "expertise", "Expertise"
    ETUDES = "etudes", "Financement d’études"
    RESEAU = "reseau", "Réseau et mise en relation"


class OffreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue is public: what the programme offers is no secret."""
        return self.filter(active=True)

    def recherche(self, texte: str):
        mots = texte.split()
        condition = Q()
        for mot in mots:
            condition &= Q(titre__icontains=mot) | Q(description__icontains=mot) | Q(organisme__icontains=mot)
        return self.filter(condition)


class Offre(models.Model):
    """One service of the ANCT or of an operator, maintained by the national team."""

    organisme = models.CharField(max_length=100, db_index=True)
    titre = models.CharField(max_length=200, unique=True)
    theme = models.CharField("thème", max_length=30, choices=Theme.choices, db_index=True)
    nature = models.CharField(max_length=20, choices=Nature.choices)
    description = models.TextField()
    beneficiaires = models.CharField("qui peut demander", max_length=255)
    modalites = models.CharField("comment demander", max_length=255)
    duree = models.CharField("durée", max_length=100)
    cout = models.CharField("coût pour le territoire", max_length=150)
    active = models.BooleanField(default=True)

    objects = OffreQuerySet.as_manager()

    class Meta:
        verbose_name = "offre d’ingénierie"
        verbose_name_plural = "offres d’ingénierie"
        ordering = ["organisme", "titre"]

    def __str__(self):
        return f"{self.titre} ({self.organisme})"

    def get_absolute_url(self):
        return reverse("ingenierie:offre", args=[self.pk])


class StatutDemande(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise"
    EN_EXAMEN = "en_examen", "En examen"
    ACCEPTEE = "acceptee", "Acceptée"
    REORIENTEE = "reorientee", "Réorientée vers une autre offre"
    REFUSEE = "refusee", "Refusée"


DECISIONS = {StatutDemande.ACCEPTEE, StatutDemande.REORIENTEE, StatutDemande.REFUSEE}

CYCLE_DEMANDE = Machine(
    champ="statut",
    etats=StatutDemande,
    transitions={
        StatutDemande.BROUILLON: {StatutDemande.SOUMISE},
        StatutDemande.SOUMISE: {StatutDemande.EN_EXAMEN},
        StatutDemande.EN_EXAMEN: DECISIONS,
    },
    action="ingenierie.statut_demande",
    nom="Une demande d’accompagnement",
)


class DemandeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The territory's team sees its requests, drafts included; the région's roles and the national team see
        those submitted in their scope (ti.comptes.permissions)."""
        from ti.comptes.permissions import q_demandes_ingenierie_visibles

        if not user.is_authenticated:
            return self.none()
        return self.filter(q_demandes_ingenierie_visibles(user))


class Demande(models.Model):
    """A territory asks for support on one or more of its fiches-action."""

    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="demandes_ingenierie")
    offre = models.ForeignKey(
        Offre, null=True, blank=True, on_delete=models.PROTECT, related_name="demandes", verbose_name="offre visée"
    )
    projets = models.ManyToManyField("projets.Projet", related_name="demandes_ingenierie", verbose_name="fiches-action")
    besoin = models.TextField("besoin")
    livrables_attendus = models.TextField("livrables attendus")
    calendrier = models.CharField("calendrier souhaité", max_length=200)
    statut = models.CharField(max_length=20, choices=StatutDemande.choices, default=StatutDemande.BROUILLON)
    offre_proposee = models.ForeignKey(
        Offre, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="offre proposée"
    )
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    objects = DemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d’accompagnement"
        verbose_name_plural = "demandes d’accompagnement"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Demande d’accompagnement n°{self.pk} — {self.territoire}"

    def get_absolute_url(self):
        return reverse("ingenierie:demande", args=[self.pk])


class TypeMission(models.TextChoices):
    CHOC = "choc_industriel", "Choc industriel"
    REBOND = "rebond_industriel", "Rebond industriel"
    SUR_MESURE = "sur_mesure", "Ingénierie sur mesure"
    EXPERTISE = "expertise", "Expertise"


class StatutMission(models.TextChoices):
    A_LANCER = "a_lancer", "À lancer"
    EN_COURS = "en_cours", "En cours"
    EN_PAUSE = "en_pause", "En pause"
    TERMINEE = "terminee", "Terminée"
    ANNULEE = "annulee", "Annulée"


CYCLE_MISSION = Machine(
    champ="statut",
    etats=StatutMission,
    transitions={
        StatutMission.A_LANCER: {StatutMission.EN_COURS, StatutMission.ANNULEE},
        StatutMission.EN_COURS: {StatutMission.EN_PAUSE, StatutMission.TERMINEE, StatutMission.ANNULEE},
        StatutMission.EN_PAUSE: {StatutMission.EN_COURS, StatutMission.ANNULEE},
    },
    action="ingenierie.statut_mission",
    nom="Une mission",
)


class MissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A consultant sees the missions he is named on; agents those of the territories of their scope."""
        from ti.comptes.permissions import q_missions_visibles

        if not user.is_authenticated:
            return self.none()
        return self.filter(q_missions_visibles(user)).distinct()


class Mission(models.Model):
    """A mission commissioned to a consulting firm under a framework contract, for one territory."""

    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="missions_ingenierie")
    # The région whose share of the budget the order draws on: the territory's (the first by code for the rare
    # territory across two régions), fixed at the order (decision 0045).
    region = models.ForeignKey(
        "referentiel.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="région"
    )
    demande = models.OneToOneField(Demande, null=True, blank=True, on_delete=models.PROTECT, related_name="mission")
    type = models.CharField(max_length=30, choices=TypeMission.choices, db_index=True)
    intitule = models.CharField("intitulé", max_length=255)
    annee = models.PositiveSmallIntegerField("année de lancement", db_index=True)
    cabinet = models.CharField("cabinet de conseil", max_length=200)
    consultants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="missions_ingenierie")
    # The outcomes: the fiches-action the mission brought out or moved forward (their financing obtained adds up).
    projets = models.ManyToManyField(
        "projets.Projet",
        blank=True,
        related_name="missions_ingenierie",
        verbose_name="fiches-action issues ou avancées",
    )
    numero_commande = models.CharField("numéro de bon de commande", max_length=50, blank=True)
    date_commande = models.DateField("date du bon de commande", null=True, blank=True)
    montant_ht = models.DecimalField("montant HT (€)", **EUROS)
    montant_ttc = models.DecimalField("montant TTC (€)", **EUROS)
    jours_prevus = models.DecimalField(
        "jours prévus", max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    jours_consommes = models.DecimalField(
        "jours consommés", max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    statut = models.CharField(max_length=20, choices=StatutMission.choices, default=StatutMission.A_LANCER)
    satisfaction = models.PositiveSmallIntegerField(
        "satisfaction du territoire (1 à 5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    evaluation = models.TextField("évaluation du territoire", blank=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = "mission d’ingénierie"
        verbose_name_plural = "missions d’ingénierie"
        ordering = ["-annee", "territoire__nom", "pk"]
        constraints = [
            models.CheckConstraint(
                name="mission_ttc_au_moins_ht",
                condition=Q(montant_ttc__gte=F("montant_ht")),
                violation_error_message="Le montant TTC ne peut pas être inférieur au montant HT.",
            )
        ]

    def __str__(self):
        return f"{self.intitule} ({self.get_type_display()}, {self.annee})"

    def get_absolute_url(self):
        return reverse("ingenierie:mission", args=[self.pk])


def region_du_territoire(territoire):
    """The région a territory's missions draw on: its only one, or the first by code when it spans two."""
    return territoire.regions.order_by("code").first()


# The deliverables and the mission's phases, the budget: in their own modules, imported here so that the app's models
# and the names the migrations use stay where Django looks for them.
from ti.ingenierie.models_budget import Budget, PartRegionale  # noqa: E402, F401
from ti.ingenierie.models_livrables import (  # noqa: E402, F401
    CYCLE_LIVRABLE,
    PHASES_PAR_DEFAUT,
    Livrable,
    Phase,
    StatutLivrable,
    chemin_livrable,
)
