"""Accounts (the e-mail is the login) and habilitations (a role on a scope), granted by the national team."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ti.core.validateurs import valider_siret


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **champs):
        if not email:
            raise ValueError("L’adresse électronique est obligatoire.")
        utilisateur = self.model(email=self.normalize_email(email).lower(), **champs)
        utilisateur.set_password(password)
        utilisateur.save(using=self._db)
        return utilisateur

    def create_superuser(self, email, password=None, **champs):
        champs.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **champs)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class Utilisateur(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=100, blank=True)
    nom = models.CharField(max_length=100, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("administrateur technique", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # Kept by ti.notifications in the transaction that writes or reads them: the header's badge costs no query.
    notifications_non_lues = models.PositiveIntegerField("notifications non lues", default=0, editable=False)
    anonymise_le = models.DateTimeField(
        "anonymisé le", null=True, blank=True, help_text="Règle de conservation appliquée : voir docs/exploitation.md."
    )
    # Self-service accounts of applicants (ti/comptes/inscription.py): inactive until the address is confirmed.
    inscription_autonome = models.BooleanField("inscrit par lui-même", default=False, editable=False)
    adresse_confirmee_le = models.DateTimeField("adresse confirmée le", null=True, blank=True, editable=False)

    objects = UtilisateurManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["nom", "prenom", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.prenom} {self.nom}".strip()

    def get_short_name(self):
        return self.prenom or self.email


class Role(models.TextChoices):
    EQUIPE_NATIONALE = "equipe_nationale", "Équipe nationale (ANCT / DGE)"
    INSTRUCTEUR = "instructeur", "Instructeur régional (préfecture de région)"
    EXPERT_ADEME = "expert_ademe", "Expert ADEME"
    REFERENT_REGION = "referent_region", "Référent Conseil régional"
    CHEF_PROJET = "chef_projet", "Chef de projet"
    BINOME = "binome", "Binôme élu / industriel"
    PORTEUR = "porteur", "Porteur de projet"
    CONSULTANT = "consultant", "Consultant"


ROLES_REGIONAUX = {Role.INSTRUCTEUR, Role.EXPERT_ADEME, Role.REFERENT_REGION}
ROLES_TERRITORIAUX = {Role.CHEF_PROJET, Role.BINOME}


class Verification(models.TextChoices):
    """What the public company directory said of a SIRET claimed by its holder (ti/comptes/annuaire_entreprises.py)."""

    VERIFIE = "verifie", "Vérifié dans l’annuaire des entreprises"
    A_VERIFIER = "a_verifier", "À vérifier : l’annuaire des entreprises n’a pas répondu"
    NON_INTERROGE = "non_interroge", "Clé de contrôle vérifiée ; annuaire non interrogé"


class HabilitationQuerySet(models.QuerySet):
    def actives(self):
        """Not withdrawn, and not past their end date: the one definition every read of rights goes through."""
        return self.filter(revoquee_le__isnull=True).filter(
            models.Q(valable_jusqu_au__isnull=True) | models.Q(valable_jusqu_au__gte=timezone.localdate())
        )


class Habilitation(models.Model):
    """A role on a scope. The scope says what the holder sees; the role what they may do there."""

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="habilitations")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    region = models.ForeignKey("referentiel.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    territoire = models.ForeignKey(
        "territoires.Territoire", null=True, blank=True, on_delete=models.PROTECT, related_name="habilitations"
    )
    siret = models.CharField("SIRET", max_length=14, blank=True)
    organisme = models.CharField(max_length=200, blank=True)

    accordee_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    accordee_le = models.DateTimeField(default=timezone.now)
    revoquee_le = models.DateTimeField(null=True, blank=True)
    revoquee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    motif = models.TextField(blank=True)
    valable_jusqu_au = models.DateField(
        "valable jusqu’au",
        null=True,
        blank=True,
        help_text="Dernier jour inclus (fin de mission, de contrat). Vide : jusqu’au retrait.",
    )

    # A porteur habilitation claimed by its holder (« Mes entreprises »), not granted by the national team: it lets
    # him file for the SIRET and see the dossiers he filed, nothing more (docs/decisions/0053).
    revendiquee = models.BooleanField("revendiquée par son titulaire", default=False)
    verification = models.CharField("vérification du SIRET", max_length=20, choices=Verification.choices, blank=True)
    adresse = models.CharField("adresse de l’établissement", max_length=300, blank=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        ordering = ["-accordee_le"]
        constraints = [
            models.CheckConstraint(
                name="habilitation_perimetre_coherent",
                condition=(
                    models.Q(role="equipe_nationale", region__isnull=True, territoire__isnull=True)
                    | models.Q(
                        role__in=sorted(r.value for r in ROLES_REGIONAUX), region__isnull=False, territoire__isnull=True
                    )
                    | models.Q(
                        role__in=sorted(r.value for r in ROLES_TERRITORIAUX),
                        region__isnull=True,
                        territoire__isnull=False,
                    )
                    | models.Q(role="porteur", region__isnull=True, territoire__isnull=True)
                    | models.Q(role="consultant", region__isnull=True, territoire__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.perimetre_libelle}"

    @property
    def perimetre_libelle(self) -> str:
        if self.role == Role.EQUIPE_NATIONALE:
            return "France entière"
        if self.region_id:
            return str(self.region)
        if self.territoire_id:
            return str(self.territoire)
        if self.siret:
            return f"SIRET {self.siret}"
        return self.organisme or "—"

    @property
    def active(self) -> bool:
        return self.revoquee_le is None and not self.echue

    @property
    def echue(self) -> bool:
        return self.valable_jusqu_au is not None and self.valable_jusqu_au < timezone.localdate()

    def clean(self):
        erreurs = {}
        if self.role in ROLES_REGIONAUX and not self.region_id:
            erreurs["region"] = "Ce rôle s’exerce sur une région : choisissez-la."
        if self.role in ROLES_TERRITORIAUX and not self.territoire_id:
            erreurs["territoire"] = "Ce rôle s’exerce sur un territoire : choisissez-le."
        if self.role not in ROLES_REGIONAUX and self.region_id:
            erreurs["region"] = "Ce rôle ne s’exerce pas sur une région."
        if self.role not in ROLES_TERRITORIAUX and self.territoire_id:
            erreurs["territoire"] = "Ce rôle ne s’exerce pas sur un territoire."
        if self.role == Role.PORTEUR:
            if not self.siret:
                erreurs["siret"] = "Un porteur de projet est identifié par le SIRET de sa structure."
            else:
                try:
                    valider_siret(self.siret)
                except ValidationError as erreur:
                    erreurs["siret"] = erreur.messages
        if self._state.adding and self.valable_jusqu_au and self.valable_jusqu_au < timezone.localdate():
            erreurs["valable_jusqu_au"] = "Cette date est passée : l’habilitation ne donnerait aucun droit."
        if erreurs:
            raise ValidationError(erreurs)


class JetonApiQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(revoque_le__isnull=True)


class JetonApi(models.Model):
    """A key to call the API with its holder's scope (`Authorization: Bearer <clé>`).

    The clear key is shown once, at creation; only its SHA-256 (to recognise it) and its first characters (so that
    its holder can tell their keys apart) are kept. A revoked key is kept too, with the date, for the record.
    See `ti.comptes.jetons`.
    """

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="jetons_api")
    nom = models.CharField(
        "nom", max_length=100, help_text="À quoi sert ce jeton, par exemple « Tableau de bord SGAR »."
    )
    prefixe = models.CharField("début de la clé", max_length=12)
    empreinte = models.CharField("empreinte SHA-256 de la clé", max_length=64, unique=True)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    utilise_le = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = JetonApiQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"{self.nom} ({self.prefixe}…)"

    @property
    def actif(self) -> bool:
        return self.revoque_le is None
