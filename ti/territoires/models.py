"""Territoires d'industrie: identity, phase, perimeter (EPCI and communes), governance and partners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ti.core.texte import cle_recherche
from ti.referentiel.models import Commune, Departement, Epci, Region


class Phase(models.IntegerChoices):
    TEMPS_1 = 1, "Temps I (2018-2022)"
    TEMPS_2 = 2, "Temps II (2023-2027)"


class StatutChefProjet(models.TextChoices):
    EN_POSTE = "en_poste", "En poste"
    RECRUTEMENT = "recrutement", "Recrutement en cours"
    FINANCEMENT = "financement", "Financement à solliciter"
    AUCUN = "aucun", "Aucun"


class TerritoireQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Territories are public records: everybody reads them. Contacts are filtered in `ti.comptes.permissions`."""
        return self.all()

    def du_perimetre(self, user):
        """The territories within the user's habilitations (national team: all; région roles: their région)."""
        from ti.comptes.permissions import q_territoires_du_perimetre  # the permission layer sits above

        if not user.is_authenticated:
            return self.none()
        condition = q_territoires_du_perimetre(user)
        if condition is None:
            return self.all()
        return self.filter(pk__in=Territoire.objects.filter(condition).values("pk"))

    def recherche(self, texte: str):
        """By the territory's name or the name of one of its communes, accents and case ignored."""
        cle = cle_recherche(texte)
        if not cle:
            return self
        return self.filter(
            Q(nom_recherche__contains=cle)
            | Q(pk__in=CommuneTerritoire.objects.filter(commune__nom_recherche__contains=cle).values("territoire"))
        )


class Territoire(models.Model):
    identifiant = models.SlugField(
        max_length=20,
        unique=True,
        help_text="« ti1-8401 » : phase, puis le code du territoire ; il ne change plus une fois créé.",
    )
    code = models.CharField(
        max_length=10,
        help_text="id_ti des fichiers de l’ANCT ; sans id_ti, région de référence et rang (docs/decisions/0033).",
    )
    phase = models.PositiveSmallIntegerField(choices=Phase.choices, db_index=True)
    nom = models.CharField(max_length=200)
    nom_recherche = models.CharField(max_length=200, editable=False, db_index=True)
    description = models.TextField(blank=True)

    epcis = models.ManyToManyField(Epci, related_name="territoires", blank=True)
    communes = models.ManyToManyField(Commune, through="CommuneTerritoire", related_name="territoires", blank=True)
    departements = models.ManyToManyField(Departement, related_name="territoires", blank=True)
    regions = models.ManyToManyField(Region, related_name="territoires", blank=True)
    population = models.PositiveIntegerField(default=0, help_text="Population des communes du périmètre (COG).")

    # Governance: the binôme élu–industriel and the chef de projet.
    binome_elu = models.CharField("élu référent", max_length=200, blank=True)
    binome_elu_mandat = models.CharField("mandat de l’élu", max_length=200, blank=True)
    binome_industriel = models.CharField("industriel référent", max_length=200, blank=True)
    binome_industriel_entreprise = models.CharField("entreprise de l’industriel", max_length=200, blank=True)
    chef_projet_statut = models.CharField(
        "statut du chef de projet", max_length=20, choices=StatutChefProjet.choices, default=StatutChefProjet.AUCUN
    )
    chef_projet_nom = models.CharField("chef de projet", max_length=200, blank=True)
    chef_projet_structure = models.CharField("structure employeuse", max_length=200, blank=True)
    chef_projet_email = models.EmailField("courriel du chef de projet", blank=True)
    chef_projet_telephone = models.CharField("téléphone du chef de projet", max_length=30, blank=True)

    modifie_le = models.DateTimeField(auto_now=True)

    objects = TerritoireQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire d’industrie"
        verbose_name_plural = "territoires d’industrie"
        ordering = ["phase", "nom"]
        constraints = [models.UniqueConstraint(fields=["phase", "code"], name="territoire_phase_code_unique")]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        self.nom_recherche = cle_recherche(self.nom)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territoires:detail", args=[self.identifiant])

    @staticmethod
    def identifiant_pour(phase: int, code: str) -> str:
        return f"ti{phase}-{code}".lower()


class CommuneTerritoire(models.Model):
    """A commune in a territory's perimeter, with the code it came under in the source file."""

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="perimetre")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="appartenances")
    code_source = models.CharField(max_length=5, help_text="Code INSEE lu dans le fichier importé.")
    via_chef_lieu = models.BooleanField(
        default=False, help_text="Code d’une commune déléguée ou associée, rattaché à son chef-lieu."
    )

    class Meta:
        verbose_name = "commune du périmètre"
        verbose_name_plural = "communes du périmètre"
        constraints = [models.UniqueConstraint(fields=["territoire", "commune"], name="commune_territoire_unique")]

    def __str__(self):
        return f"{self.commune} dans {self.territoire}"


class Partenaire(models.Model):
    """A partner's contact for a territory (préfecture, région, operators)."""

    class Organisme(models.TextChoices):
        PREFECTURE = "prefecture", "Préfecture"
        SOUS_PREFECTURE = "sous_prefecture", "Sous-préfecture"
        REGION = "region", "Conseil régional"
        BANQUE_TERRITOIRES = "banque_territoires", "Banque des Territoires"
        BPIFRANCE = "bpifrance", "Bpifrance"
        BUSINESS_FRANCE = "business_france", "Business France"
        FRANCE_TRAVAIL = "france_travail", "France Travail"
        ADEME = "ademe", "ADEME"
        AUTRE = "autre", "Autre"

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="partenaires")
    organisme = models.CharField(max_length=30, choices=Organisme.choices)
    nom = models.CharField("nom du contact", max_length=200)
    fonction = models.CharField(max_length=200, blank=True)
    email = models.EmailField("courriel", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact partenaire"
        verbose_name_plural = "contacts partenaires"
        ordering = ["organisme", "nom"]

    def __str__(self):
        return f"{self.get_organisme_display()} — {self.nom}"


class Mission(models.Model):
    """Labels and missions a territory received: Fabrique prospective, choc industriel, rebond industriel."""

    class Type(models.TextChoices):
        FABRIQUE_PROSPECTIVE = "fabrique_prospective", "Fabrique prospective"
        CHOC_INDUSTRIEL = "choc_industriel", "Mission « choc industriel »"
        REBOND_INDUSTRIEL = "rebond_industriel", "Mission « rebond industriel »"

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="missions")
    type = models.CharField(max_length=30, choices=Type.choices)
    annee = models.PositiveSmallIntegerField("année")
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "label ou mission"
        verbose_name_plural = "labels et missions"
        ordering = ["annee", "type"]

    def __str__(self):
        return f"{self.get_type_display()} ({self.annee})"


class Filiation(models.Model):
    """A phase 1 territory that a phase 2 territory continues: the communes they share. Computed at each import."""

    temps2 = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="origines")
    temps1 = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="suites")
    communes = models.PositiveIntegerField("communes en commun")
    population = models.PositiveIntegerField("population en commun")

    class Meta:
        verbose_name = "filiation Temps I → Temps II"
        verbose_name_plural = "filiations Temps I → Temps II"
        ordering = ["-population", "temps1__nom"]
        constraints = [models.UniqueConstraint(fields=["temps2", "temps1"], name="filiation_unique")]

    def __str__(self):
        return f"{self.temps1} → {self.temps2}"

    @property
    def part_du_temps2(self) -> float:
        """Share of the phase 2 territory's population that comes from the phase 1 territory."""
        return self.population / self.temps2.population if self.temps2.population else 0.0

    @property
    def part_du_temps1(self) -> float:
        """Share of the phase 1 territory's population that goes on in the phase 2 territory."""
        return self.population / self.temps1.population if self.temps1.population else 0.0


class ChangementChefProjet(models.Model):
    """One change of a territory's chef de projet status: who, when, from, to, why (written by the action)."""

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="changements_chef_projet")
    avant = models.CharField(max_length=20, choices=StatutChefProjet.choices)
    apres = models.CharField(max_length=20, choices=StatutChefProjet.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    le = models.DateTimeField(auto_now_add=True)
    motif = models.TextField(blank=True)

    class Meta:
        verbose_name = "changement de statut du chef de projet"
        verbose_name_plural = "changements de statut du chef de projet"
        ordering = ["-le", "-pk"]

    def __str__(self):
        return f"{self.territoire} : {self.get_avant_display()} → {self.get_apres_display()}"


class FinancementPoste(models.Model):
    """A financeur's share of the chef de projet's post: amount and period."""

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="financements_poste")
    financeur = models.CharField(max_length=200)
    montant = models.DecimalField("montant (€)", max_digits=14, decimal_places=2)
    debut = models.DateField("début")
    fin = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "financement du poste de chef de projet"
        verbose_name_plural = "financements du poste de chef de projet"
        ordering = ["debut", "financeur"]
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="financement_poste_montant_positif"),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")), name="financement_poste_periode"
            ),
        ]

    def __str__(self):
        return f"{self.financeur} : {self.montant} €"
