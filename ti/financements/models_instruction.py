"""What the instructors keep on a dossier for themselves: the file joined to an opinion, their private notes, and who
follows which dossier. None of it is ever shown to the porteur."""

from django.conf import settings
from django.db import models

from ti.core.antivirus import FichierAnalyse


class PieceAvis(FichierAnalyse):
    """The one file an opinion may carry (a technical note, an annotated plan), checked and scanned as the pieces."""

    avis = models.OneToOneField("financements.Avis", on_delete=models.CASCADE, related_name="piece")
    fichier = models.FileField(upload_to="avis/%Y/%m/", max_length=255)
    nom = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()

    class Meta:
        verbose_name = "pièce jointe à un avis"
        verbose_name_plural = "pièces jointes aux avis"


class AnnotationDossier(models.Model):
    """A private note of an instructor on a dossier, read by the instructors of the dossier only."""

    dossier = models.ForeignKey("financements.Dossier", on_delete=models.CASCADE, related_name="annotations")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField()
    ecrite_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "annotation privée"
        verbose_name_plural = "annotations privées"
        ordering = ["-ecrite_le", "-pk"]

    def __str__(self):
        return f"Annotation sur le dossier {self.dossier_id}"


class SuiviDossier(models.Model):
    """« Suivre un dossier »: an instructor's flag; the dossiers they follow come first in their queue."""

    dossier = models.ForeignKey("financements.Dossier", on_delete=models.CASCADE, related_name="suivis")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    depuis = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dossier suivi"
        verbose_name_plural = "dossiers suivis"
        constraints = [models.UniqueConstraint(fields=["utilisateur", "dossier"], name="suivi_un_par_personne")]

    def __str__(self):
        return f"Dossier {self.dossier_id} suivi par {self.utilisateur_id}"
