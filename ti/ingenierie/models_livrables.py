"""A mission's phases (diagnostic, étude d’impact, identification des financements, feuille de route by default,
edited by the national team) and the deliverables the consultants upload in them, validated or sent back by the
territory."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from ti.core.antivirus import FichierAnalyse
from ti.core.etats import Machine
from ti.ingenierie.models import Mission

PHASES_PAR_DEFAUT = ("Diagnostic", "Étude d’impact", "Identification des financements", "Feuille de route")


class Phase(models.Model):
    """One step of a mission, in order, with the date its deliverable is due (a deliverable not validated past that
    date is late)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="phases")
    ordre = models.PositiveSmallIntegerField()
    nom = models.CharField(max_length=100)
    echeance = models.DateField("échéance du livrable", null=True, blank=True)

    class Meta:
        verbose_name = "phase de mission"
        verbose_name_plural = "phases de mission"
        ordering = ["mission", "ordre"]
        constraints = [models.UniqueConstraint(fields=["mission", "ordre"], name="phase_ordre_unique")]

    def __str__(self):
        return self.nom

    def etat(self, livrables: list, aujourd_hui) -> tuple[str, str]:
        """The phase's state read from its deliverables (oldest first), with the DSFR badge that shows it."""
        statuts = [livrable.statut for livrable in livrables]
        if StatutLivrable.VALIDE in statuts:
            return "Livrable validé", "success"
        if StatutLivrable.DEPOSE in statuts:
            return "Livrable à valider", "info"
        if self.echeance is not None and self.echeance < aujourd_hui:
            return "En retard", "error"
        if statuts:
            return "Livrable renvoyé", "warning"
        return "À venir", "new"


class StatutLivrable(models.TextChoices):
    DEPOSE = "depose", "Déposé, à valider"
    VALIDE = "valide", "Validé"
    RENVOYE = "renvoye", "Renvoyé au consultant"


CYCLE_LIVRABLE = Machine(
    champ="statut",
    etats=StatutLivrable,
    transitions={StatutLivrable.DEPOSE: {StatutLivrable.VALIDE, StatutLivrable.RENVOYE}},
    action="ingenierie.statut_livrable",
    nom="Un livrable",
)


def chemin_livrable(livrable, nom_fichier: str) -> str:
    return f"ingenierie/missions/{livrable.mission_id}/{uuid.uuid4().hex}/{nom_fichier}"


class Livrable(FichierAnalyse):
    """A deliverable uploaded by the mission's consultant, validated or sent back (with comments) by the territory.
    A deliverable sent back is answered by a new upload: each version stays."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="livrables")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="livrables")
    titre = models.CharField(max_length=200, help_text="Par exemple : diagnostic, étude d’impact, feuille de route.")
    fichier = models.FileField(upload_to=chemin_livrable, max_length=255)
    nom = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField(help_text="En octets.")
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    depose_le = models.DateTimeField(auto_now_add=True)
    statut = models.CharField(max_length=20, choices=StatutLivrable.choices, default=StatutLivrable.DEPOSE)

    class Meta:
        verbose_name = "livrable"
        ordering = ["depose_le", "pk"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("ingenierie:livrable", args=[self.mission_id, self.pk])
