"""The official geography (COG): régions, départements, EPCI, communes. Imported, never typed by hand."""

from django.db import models
from django.urls import reverse

from ti.core.texte import cle_recherche


class Millesime(models.Model):
    """One import of the COG: its year, when it was loaded, and what it held."""

    annee = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(max_length=255)
    importe_le = models.DateTimeField(auto_now=True)
    empreinte = models.CharField(max_length=64, help_text="SHA-256 of the imported files, to detect a re-run.")
    comptes = models.JSONField(default=dict)

    class Meta:
        verbose_name = "millésime du COG"
        verbose_name_plural = "millésimes du COG"
        ordering = ["-annee"]

    def __str__(self):
        return f"COG {self.annee}"

    @classmethod
    def courant(cls) -> "Millesime | None":
        return cls.objects.order_by("-annee").first()


class Region(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    nom = models.CharField(max_length=100)
    chef_lieu = models.CharField(max_length=5, blank=True)
    zone = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("territoires:region", args=[self.code])


class Departement(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    chef_lieu = models.CharField(max_length=5, blank=True)
    zone = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Epci(models.Model):
    class Nature(models.TextChoices):
        CC = "CC", "Communauté de communes"
        CA = "CA", "Communauté d’agglomération"
        CU = "CU", "Communauté urbaine"
        METRO = "METRO", "Métropole"
        MET69 = "MET69", "Métropole de Lyon"

    siren = models.CharField(max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    nature = models.CharField(max_length=5, choices=Nature.choices)
    mode_financement = models.CharField(max_length=10, blank=True)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Commune(models.Model):
    """A commune actuelle. Communes déléguées, associées and municipal districts are `CommuneRattachee` rows."""

    code = models.CharField(max_length=5, primary_key=True)
    nom = models.CharField(max_length=150)
    nom_recherche = models.CharField(max_length=150, db_index=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.PROTECT, related_name="communes")
    siren = models.CharField(max_length=9, blank=True)
    codes_postaux = models.CharField(max_length=255, blank=True, help_text="Codes postaux séparés par des espaces.")
    population = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "commune"
        ordering = ["nom", "code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"

    def save(self, *args, **kwargs):
        self.nom_recherche = cle_recherche(self.nom)
        super().save(*args, **kwargs)


class CommuneRattachee(models.Model):
    """A code that is not a commune actuelle but points to one: déléguée, associée or arrondissement municipal."""

    class Type(models.TextChoices):
        DELEGUEE = "commune-deleguee", "Commune déléguée"
        ASSOCIEE = "commune-associee", "Commune associée"
        ARRONDISSEMENT = "arrondissement-municipal", "Arrondissement municipal"

    code = models.CharField(max_length=5, db_index=True)
    type = models.CharField(max_length=30, choices=Type.choices)
    nom = models.CharField(max_length=150)
    chef_lieu = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="rattachees")

    class Meta:
        verbose_name = "commune rattachée"
        verbose_name_plural = "communes rattachées"
        constraints = [models.UniqueConstraint(fields=["code", "type"], name="commune_rattachee_unique")]

    def __str__(self):
        return f"{self.nom} ({self.code}, {self.get_type_display().lower()})"
