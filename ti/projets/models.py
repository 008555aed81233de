"""Fiches-action (projets), their financing lines, documents and notes; the territory's plan d'action that gathers
them and the contrat de territoire are in models_plans.py."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse

from ti.core import recherche
from ti.core.antivirus import FichierAnalyse
from ti.core.champs import HECTARES_MAX, MONTANT, TCO2E_MAX, contraintes_emplois, emplois, quantite
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

    LIENS = ("themes", "competences", "leviers")  # its many-to-many relations

    def liens(self) -> dict[str, set[str]]:
        """{"themes": …, "competences": …, "leviers": …}: the keys (as text) of what the fiche is linked to, in one
        query (the three link tables in a UNION) where reading each relation costs one."""
        requetes = []
        for champ in self.LIENS:
            relation = getattr(Projet, champ)
            cible = f"{relation.field.m2m_reverse_field_name()}_id"
            requetes.append(
                relation.through.objects.filter(projet_id=self.pk)
                .annotate(champ=Value(champ), cle=Cast(cible, CharField()))
                .values_list("champ", "cle")
            )
        liens = {champ: set() for champ in self.LIENS}
        for champ, cle in requetes[0].union(*requetes[1:], all=True):
            liens[champ].add(cle)
        return liens

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


# The plan d'action and the contrat de territoire live in their own module.
from ti.projets.models_plans import (  # noqa: E402, F401
    CYCLE_PLAN,
    TRANSITIONS_PLAN,
    ContratTerritoire,
    PlanAction,
    Signataire,
    StatutPlan,
    TransitionPlan,
)
