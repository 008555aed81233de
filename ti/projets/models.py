"""Fiches-action (projets), the territory's plan d'action that gathers them, and the contrat de territoire."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ti.core import recherche
from ti.core.antivirus import FichierAnalyse
from ti.core.champs import HECTARES_MAX, MONTANT, TCO2E_MAX, contraintes_emplois, emplois, quantite
from ti.core.etats import Machine, Pas
from ti.core.models import TransitionBase
from ti.core.texte import cle_recherche
from ti.referentiel.models import Commune
from ti.territoires.models import Territoire


class Axe(models.TextChoices):
    """The four aims of the programme since 2018."""

    RECRUTER = "recruter", "Recruter"
    INNOVER = "innover", "Innover"
    ATTIRER = "attirer", "Attirer"
    SIMPLIFIER = "simplifier", "Simplifier"


class PhaseProjet(models.TextChoices):
    """As in the national « projets de collectivités » schema."""

    IDEE = "idee", "Idée"
    ETUDE = "etude", "Étude"
    OPERATION = "operation", "Opération"


class StatutPhase(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    EN_RETARD = "en_retard", "En retard"
    EN_PAUSE = "en_pause", "En pause"
    BLOQUE = "bloque", "Bloqué"
    ABANDONNE = "abandonne", "Abandonné"
    TERMINE = "termine", "Terminé"


class TypePorteur(models.TextChoices):
    ENTREPRISE = "entreprise", "Entreprise"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    ASSOCIATION = "association", "Association"
    ORGANISME_FORMATION = "organisme_formation", "Organisme de formation"
    CHAMBRE_CONSULAIRE = "chambre_consulaire", "Chambre consulaire"
    ETABLISSEMENT_PUBLIC = "etablissement_public", "Établissement public"
    AUTRE = "autre", "Autre"


class Theme(models.Model):
    """Themes of the programme (réindustrialisation, décarbonation…), a short list kept in the database."""

    code = models.SlugField(max_length=50, primary_key=True)
    libelle = models.CharField("libellé", max_length=100)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "thème"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class Competence(models.Model):
    """The M57 référentiel of local authorities' competences (national schema's `competences`)."""

    code = models.CharField(max_length=10, primary_key=True)
    libelle = models.CharField("libellé", max_length=255)

    class Meta:
        verbose_name = "compétence (M57)"
        verbose_name_plural = "compétences (M57)"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.libelle}"


class Levier(models.Model):
    """The SGPE list of ecological transition levers (national schema's `leviers`)."""

    libelle = models.CharField("libellé", max_length=255, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "levier (SGPE)"
        verbose_name_plural = "leviers (SGPE)"
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class VecteurFrancais(recherche.VecteurFrancais):
    """`to_tsvector('french', texte_recherche)` on PostgreSQL, the stored vector the search matches and ranks on.

    Kept by the database itself (a generated column): every write of `texte_recherche` — save, bulk_create, update,
    the importer, the admin, raw SQL — recomputes it in the same statement, so it cannot go stale. SQLite has no
    full text: NULL there, and the search falls back to a substring match on `texte_recherche`. The expression is
    the platform's shared one (`ti.core.recherche`); this name stays for migration 0004.
    """

    def __init__(self):
        super().__init__("texte_recherche")


class ProjetQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(archive_le__isnull=True)

    def publics(self):
        return self.actifs().filter(public=True)

    def visible_to(self, user):
        """Public projects for everybody; every active project of the territories within the user's scope."""
        from ti.comptes.permissions import q_territoires_du_perimetre  # the permission layer sits above

        if not user.is_authenticated:
            return self.publics()
        condition = q_territoires_du_perimetre(user)
        if condition is None:
            return self.actifs()
        dans_le_perimetre = Territoire.objects.filter(condition).values("pk")
        return self.actifs().filter(Q(public=True) | Q(territoire__in=dans_le_perimetre))


class Projet(models.Model):
    """A fiche-action of a territory's plan."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="projets")
    titre = models.CharField("titre", max_length=255)
    description = models.TextField(blank=True)
    objectifs = models.TextField(blank=True)

    porteur_nom = models.CharField("porteur", max_length=255, blank=True)
    porteur_siret = models.CharField("SIRET du porteur", max_length=14, blank=True)
    porteur_type = models.CharField("type de porteur", max_length=30, choices=TypePorteur.choices, blank=True)
    referent_prenom = models.CharField("prénom du référent", max_length=100, blank=True)
    referent_nom = models.CharField("nom du référent", max_length=100, blank=True)
    referent_fonction = models.CharField("fonction du référent", max_length=200, blank=True)
    referent_email = models.EmailField("courriel du référent", blank=True)
    referent_telephone = models.CharField("téléphone du référent", max_length=30, blank=True)

    axe = models.CharField(max_length=20, choices=Axe.choices)
    themes = models.ManyToManyField(Theme, related_name="projets", blank=True, verbose_name="thèmes")
    competences = models.ManyToManyField(Competence, related_name="projets", blank=True)
    leviers = models.ManyToManyField(Levier, related_name="projets", blank=True)
    phase = models.CharField(max_length=20, choices=PhaseProjet.choices, default=PhaseProjet.IDEE)
    phase_statut = models.CharField(
        "statut de la phase", max_length=20, choices=StatutPhase.choices, default=StatutPhase.EN_COURS
    )

    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="projets", verbose_name="commune"
    )
    date_debut = models.DateField("date de début", null=True, blank=True)
    date_fin = models.DateField("date de fin", null=True, blank=True)
    budget = models.DecimalField("budget (€)", null=True, blank=True, **MONTANT)

    # Expected impact.
    emplois_crees = emplois("emplois créés")
    emplois_maintenus = emplois("emplois maintenus")
    investissement = models.DecimalField("investissement (€)", null=True, blank=True, **MONTANT)
    tco2e_evitees = quantite("tCO2e évitées par an", plafond=TCO2E_MAX, unite="tCO2e")
    hectares = quantite("hectares recyclés ou économisés", plafond=HECTARES_MAX, unite="ha", max_digits=10)

    partenaires = models.TextField("partenaires", blank=True)
    public = models.BooleanField("publié dans l’annuaire public", default=False)

    texte_recherche = models.TextField(editable=False, default="")
    # Not loaded with the fiche (the search selectors defer it): only the database reads it, through its GIN index.
    vecteur_recherche = models.GeneratedField(
        expression=VecteurFrancais(), output_field=SearchVectorField(null=True), db_persist=True
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Incremented on every change.")
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    archive_le = models.DateTimeField("archivé le", null=True, blank=True)

    objects = ProjetQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche-action"
        verbose_name_plural = "fiches-action"
        ordering = ["-modifie_le", "-pk"]
        indexes = [
            models.Index(fields=["territoire", "axe"]),
            models.Index(fields=["public", "archive_le"]),
            # The order of a search without text (and of the API list): the most recently modified first.
            models.Index(fields=["-modifie_le", "-id"], name="projet_recents"),
        ]
        constraints = [
            models.CheckConstraint(
                name="projet_dates_ordonnees",
                condition=Q(date_debut__isnull=True)
                | Q(date_fin__isnull=True)
                | Q(date_fin__gte=models.F("date_debut")),
            ),
            *contraintes_emplois("projet"),
        ]

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        self.texte_recherche = self.calculer_texte_recherche()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "texte_recherche"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projets:detail", args=[self.pk])

    def calculer_texte_recherche(self) -> str:
        """The accent-free text the search runs on: title, description, objectives, porteur, commune."""
        morceaux = [self.titre, self.description, self.objectifs, self.porteur_nom, self.partenaires]
        if self.commune_id:
            morceaux.append(self.commune.nom)
        return cle_recherche(" ".join(m for m in morceaux if m))


class StatutFinancement(models.TextChoices):
    SOLLICITE = "sollicite", "Sollicité"
    ACQUIS = "acquis", "Acquis"
    REFUSE = "refuse", "Refusé"


class LigneFinancement(models.Model):
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="financements")
    financeur = models.CharField(max_length=200)
    dispositif = models.CharField(max_length=200, blank=True)
    montant = models.DecimalField("montant (€)", **MONTANT)
    statut = models.CharField(max_length=20, choices=StatutFinancement.choices, default=StatutFinancement.SOLLICITE)

    class Meta:
        verbose_name = "ligne du plan de financement"
        verbose_name_plural = "plan de financement"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.financeur} — {self.montant} € ({self.get_statut_display().lower()})"


def chemin_document(document, nom_fichier: str) -> str:
    return f"projets/{document.projet.uuid}/{uuid.uuid4().hex}/{nom_fichier}"


class Document(FichierAnalyse):
    projet = models.ForeignKey(Projet, on_delete=models.PROTECT, related_name="documents")
    fichier = models.FileField(upload_to=chemin_document, max_length=255)
    nom = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField(help_text="En octets.")
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    depose_le = models.DateTimeField(auto_now_add=True)
    archive_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-depose_le"]

    def __str__(self):
        return self.nom


class NoteSuivi(models.Model):
    """The private follow-up journal of the territory's team on a fiche-action."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="notes")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField()
    ecrite_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "note de suivi"
        verbose_name_plural = "journal de suivi"
        ordering = ["-ecrite_le", "-pk"]

    def __str__(self):
        return f"Note du {self.ecrite_le:%d/%m/%Y} sur {self.projet}"


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
    projets = models.ManyToManyField(Projet, related_name="plans", blank=True, verbose_name="fiches-action")
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
