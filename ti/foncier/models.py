"""Sites clés en main: a CNIG « site-eco » with its « terrain-eco » plots, what an investor needs to know about it
(label, availability, procedures cleared, networks), and the requests investors send about it.

The mapping between these fields and the standard's columns is in `ti.foncier.cnig` (decision 0042)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ti.core.antivirus import SERVABLES, FichierAnalyse
from ti.core.etats import Machine
from ti.referentiel.models import Commune, Epci
from ti.territoires.models import CommuneTerritoire, Territoire

# Identifiers as the standard builds them: INSEE code of the commune, class, five-digit number.
ID_SITE = RegexValidator(r"^[0-9][0-9AB][0-9]{3}_SITE-ECO_[0-9]{5}$", "Identifiant attendu : 80024_SITE-ECO_00001.")
ID_TERRAIN = RegexValidator(
    r"^[0-9][0-9AB][0-9]{3}_TERRAIN-ECO_[0-9]{5}$", "Identifiant attendu : 80024_TERRAIN-ECO_00131."
)
HECTARES = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Vague(models.TextChoices):
    """The national calls that labelled sites clés en main."""

    PACK_REBOND = "pack_rebond", "Pack Rebond (2020)"
    FRANCE_2030 = "france_2030", "France 2030 (2023-2024)"
    APPEL_ULTERIEUR = "appel_ulterieur", "Appel ultérieur"
    AUCUNE = "aucune", "Sans label national"


class StatutSite(models.TextChoices):
    IDENTIFIE = "identifie", "Identifié"
    LABELLISE = "labellise", "Labellisé"
    COMMERCIALISE = "commercialise", "Commercialisé"
    OCCUPE = "occupe", "Occupé"


CYCLE_SITE = Machine(
    champ="statut",
    etats=StatutSite,
    transitions={  # from → the states it may go to
        StatutSite.IDENTIFIE: {StatutSite.LABELLISE, StatutSite.COMMERCIALISE},
        StatutSite.LABELLISE: {StatutSite.COMMERCIALISE, StatutSite.IDENTIFIE},
        StatutSite.COMMERCIALISE: {StatutSite.OCCUPE, StatutSite.LABELLISE},
        StatutSite.OCCUPE: {StatutSite.COMMERCIALISE},  # a plant closes: the site is offered again
    },
    action="foncier.statut_site",
    nom="Un site",
)


class Conditions(models.TextChoices):
    VENTE = "vente", "Vente"
    LOCATION = "location", "Location"
    VENTE_OU_LOCATION = "vente_ou_location", "Vente ou location"
    A_DEFINIR = "a_definir", "À définir"


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sites clés en main are public records: the catalogue is open to everybody."""
        return self.all()


def communes_des_territoires(territoires):
    """The communes of these territories' perimeters (ids or a queryset), as a subquery: a site is in a territory
    when its commune is."""
    return CommuneTerritoire.objects.filter(territoire__in=territoires).values("commune_id")


class Site(models.Model):
    # CNIG site-eco: identity and surfaces.
    identifiant = models.CharField("identifiant (site_id)", max_length=30, unique=True, validators=[ID_SITE])
    pole_id = models.CharField("pôle économique (pole_id)", max_length=30, blank=True)
    nom = models.CharField("nom", max_length=200)
    type_site = models.CharField("type de site", max_length=100, default="zone d'activité économique")
    vocation = models.CharField("vocation dominante", max_length=100, blank=True)
    etat = models.CharField("état (site_etat)", max_length=100, blank=True)
    surface_brute = models.DecimalField("surface brute (ha)", **HECTARES)
    surface_utile = models.DecimalField("surface utile (ha)", **HECTARES)
    surface_disponible = models.DecimalField(
        "surface disponible à la commercialisation (ha)", null=True, blank=True, **HECTARES
    )
    date_identification = models.DateField("identifié le")
    date_actualisation = models.DateField("actualisé le")
    description = models.TextField(blank=True)
    url = models.URLField("page web", blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="sites_eco")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="sites_eco")
    moa_type = models.CharField("type de maîtrise d’ouvrage", max_length=100, default="EPCI")
    proprietaire = models.CharField("propriétaire ou gestionnaire (site_moa_nom)", max_length=200, blank=True)
    longitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    latitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    # The other columns of the standard, as read (geometries, distances, vocations…): exported as they came.
    complements = models.JSONField("autres colonnes du standard", default=dict, blank=True)

    # What a site clé en main adds.
    vague = models.CharField("label", max_length=20, choices=Vague.choices, default=Vague.AUCUNE, db_index=True)
    statut = models.CharField(max_length=20, choices=StatutSite.choices, default=StatutSite.IDENTIFIE, db_index=True)
    disponible_immediatement = models.BooleanField("disponible immédiatement", default=False)
    disponible_le = models.DateField("disponible à partir du", null=True, blank=True)
    icpe_purgee = models.BooleanField("procédures ICPE / autorisation environnementale anticipées", default=False)
    archeologie_purgee = models.BooleanField("diagnostic d’archéologie préventive réalisé", default=False)
    inventaire_quatre_saisons = models.BooleanField("inventaire faune-flore quatre saisons réalisé", default=False)
    zonage_urbanisme = models.CharField("zonage d’urbanisme (PLU)", max_length=50, blank=True)
    conditions = models.CharField(max_length=20, choices=Conditions.choices, default=Conditions.A_DEFINIR)
    conditions_detail = models.CharField("prix et conditions", max_length=255, blank=True)
    embranchement_fer = models.BooleanField("embranchement ferroviaire (ITE)", default=False)
    acces_portuaire = models.BooleanField("accès portuaire ou quai fluvial", default=False)
    desserte_routiere = models.CharField("desserte routière", max_length=200, blank=True)
    puissance_mw = models.DecimalField(
        "puissance électrique disponible (MW)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    eau = models.BooleanField("réseau d’eau potable", default=False)
    tres_haut_debit = models.BooleanField("très haut débit (fibre)", default=False)
    contact_nom = models.CharField("contact", max_length=200, blank=True)
    contact_organisme = models.CharField("organisme du contact", max_length=200, blank=True)

    modifie_le = models.DateTimeField(auto_now=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = "site clé en main"
        verbose_name_plural = "sites clés en main"
        ordering = ["nom", "pk"]
        constraints = [
            models.CheckConstraint(
                name="site_surface_utile_inferieure_a_brute",
                condition=Q(surface_utile__lte=models.F("surface_brute")),
                violation_error_message="La surface utile ne peut pas dépasser la surface brute.",
            )
        ]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("foncier:site", args=[self.identifiant])

    def territoires(self):
        """Both phases' territories whose perimeter holds the site's commune. Read from the perimeters
        (CommuneTerritoire) each time, never stored: a territory's perimeter may change, a site never goes stale."""
        return Territoire.objects.filter(perimetre__commune_id=self.commune_id).order_by("phase", "nom")


class Terrain(models.Model):
    """A CNIG terrain-eco: one plot of a site, with its stage of development and of sale."""

    identifiant = models.CharField("identifiant (terr_id)", max_length=30, unique=True, validators=[ID_TERRAIN])
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="terrains")
    references_cadastrales = models.TextField("parcelles cadastrales (terr_refcad)", blank=True)
    surface_brute = models.DecimalField("surface brute (ha)", **HECTARES)
    date_identification = models.DateField("identifié le")
    date_actualisation = models.DateField("actualisé le")
    maitrise_fonciere = models.CharField("maîtrise foncière", max_length=100)
    stade_amenagement = models.CharField("stade d’aménagement", max_length=100)
    stade_commercialisation = models.CharField("stade de commercialisation", max_length=100)
    etat_occupation = models.CharField("état d’occupation", max_length=100)
    usage = models.CharField(max_length=100)
    cle_en_main = models.BooleanField("clé en main", null=True, blank=True)
    complements = models.JSONField("autres colonnes du standard", default=dict, blank=True)

    class Meta:
        verbose_name = "terrain"
        ordering = ["identifiant"]

    def __str__(self):
        return self.identifiant


class StatutDemande(models.TextChoices):
    NOUVEAU = "nouveau", "Nouveau"
    EN_CONTACT = "en_contact", "En contact"
    CLOS = "clos", "Clos"


CYCLE_DEMANDE = Machine(
    champ="statut",
    etats=StatutDemande,
    transitions={
        StatutDemande.NOUVEAU: {StatutDemande.EN_CONTACT, StatutDemande.CLOS},
        StatutDemande.EN_CONTACT: {StatutDemande.CLOS},
        StatutDemande.CLOS: {StatutDemande.EN_CONTACT},  # the investor came back
    },
    action="foncier.statut_demande",
    nom="Une demande",
)


class DemandeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Never public: the site's territory teams and its région's roles only (ti.comptes.permissions)."""
        from ti.comptes.permissions import q_demandes_visibles

        if not user.is_authenticated:
            return self.none()
        return self.filter(q_demandes_visibles(user))


class Demande(models.Model):
    """An investor's request about a site: who, which project, how much land, how many jobs, when."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="demandes")
    nom = models.CharField("nom et prénom", max_length=200)
    organisation = models.CharField("entreprise ou cabinet", max_length=200)
    email = models.EmailField("adresse électronique")
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    projet = models.TextField("projet")
    surface_ha = models.DecimalField(
        "surface recherchée (ha)", max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    emplois = models.PositiveIntegerField("emplois prévus")
    calendrier = models.CharField("calendrier d’implantation", max_length=200)
    statut = models.CharField(max_length=20, choices=StatutDemande.choices, default=StatutDemande.NOUVEAU)
    recue_le = models.DateTimeField("reçue le", auto_now_add=True)

    objects = DemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d’investisseur"
        verbose_name_plural = "demandes d’investisseurs"
        ordering = ["-recue_le", "-pk"]

    def __str__(self):
        return f"Demande de {self.organisation} sur {self.site}"

    def get_absolute_url(self):
        return reverse("foncier:demande", args=[self.pk])


def chemin_piece(piece, nom_fichier: str) -> str:
    return f"foncier/{piece.site.identifiant}/{uuid.uuid4().hex}/{nom_fichier}"


class PieceQuerySet(models.QuerySet):
    def actives(self):
        return self.filter(archive_le__isnull=True)

    def publiques(self):
        """What the public may see: not archived, and cleared by the antivirus (or none configured)."""
        return self.actives().filter(analyse__in=SERVABLES)


class Piece(FichierAnalyse):
    """A photo or a document of a site (plan, study, brochure), public like the site once the antivirus has cleared
    it. Archived, never deleted."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="pieces")
    fichier = models.FileField(upload_to=chemin_piece, max_length=255)
    nom = models.CharField(max_length=255)
    legende = models.CharField(
        "légende", max_length=255, help_text="Ce que montre la photo ou ce que contient le document (texte alternatif)."
    )
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField(help_text="En octets.")
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    depose_le = models.DateTimeField(auto_now_add=True)
    archive_le = models.DateTimeField(null=True, blank=True)

    objects = PieceQuerySet.as_manager()

    class Meta:
        verbose_name = "photo ou document"
        verbose_name_plural = "photos et documents"
        ordering = ["depose_le", "pk"]

    def __str__(self):
        return self.legende

    def get_absolute_url(self):
        return reverse("foncier:piece", args=[self.site.identifiant, self.pk])

    @property
    def est_une_photo(self) -> bool:
        return self.type_mime.startswith("image/")
