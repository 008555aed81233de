"""What every part of the platform shares: the audit log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from ti.core.chaine import Chaine


class Journal(Chaine):
    """One row per state change: who, when, what, on which record, and why.

    Rows are only ever added (see `journaliser`) and chained by digests (ti/core/chaine.py); the admin shows them
    read-only.
    """

    quand = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80)
    objet_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    objet_id = models.CharField(max_length=64)
    objet_libelle = models.CharField(max_length=255)
    details = models.JSONField(default=dict, blank=True)
    motif = models.TextField(blank=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal des modifications"
        ordering = ["-quand", "-id"]
        indexes = [models.Index(fields=["objet_type", "objet_id", "-quand"])]

    def __str__(self):
        return f"{self.quand:%d/%m/%Y %H:%M} {self.action} {self.objet_libelle}"


def journaliser(*, acteur, action: str, objet: models.Model, details: dict | None = None, motif: str = "") -> Journal:
    """Write the audit row of a state change; call it inside the action's transaction."""
    return Journal.objects.create(
        acteur=acteur if acteur is not None and acteur.is_authenticated else None,
        action=action,
        objet_type=ContentType.objects.get_for_model(objet),
        objet_id=str(objet.pk),
        objet_libelle=str(objet)[:255],
        details=details or {},
        motif=motif,
    )


def historique(objet: models.Model):
    """The audit rows of one record, newest first, with their authors in the same query."""
    return Journal.objects.filter(
        objet_type=ContentType.objects.get_for_model(objet), objet_id=str(objet.pk)
    ).select_related("acteur")


def historique_en_mots(objet: models.Model, *, libelles: dict[str, str], lignes, nombre: int) -> list[dict]:
    """The record's last `nombre` audit rows (one query), each with its action's label (`libelles`, else the code
    in words) and its details in words (`lignes(details)`: the app says how its fields read)."""
    return [
        {
            "entree": entree,
            "libelle": libelles.get(entree.action, entree.action.replace("_", " ").capitalize()),
            "lignes": lignes(entree.details),
        }
        for entree in historique(objet)[:nombre]
    ]


class TransitionBase(Chaine):
    """A state machine's log row: who moved the record, when, and why. Subclasses add the record and the states.
    Chained by digests like the journal."""

    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quand = models.DateTimeField(default=timezone.now, editable=False)
    motif = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["quand", "pk"]

    def __str__(self):
        return f"{self.get_de_display()} → {self.get_vers_display()}"


class EnvoiTraite(models.Model):
    """A creation form already processed: its one-time token and where its result is (`ti.core.envois`)."""

    jeton = models.CharField(max_length=64, unique=True)
    url = models.CharField(max_length=500)
    cree_le = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "envoi de formulaire traité"
        verbose_name_plural = "envois de formulaires traités"

    def __str__(self):
        return f"{self.jeton} → {self.url}"
