"""The instructors' own tools on a dossier: private annotations and « suivre un dossier ». Neither changes the
dossier's state nor reaches the porteur; an annotation is journalled, a follow flag is a personal preference."""

from django.db import transaction

from ti.comptes import permissions
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.financements.models import AnnotationDossier, Dossier, SuiviDossier

LONGUEUR_MAX = 5000


@transaction.atomic
def annoter(*, dossier: Dossier, par, texte: str) -> AnnotationDossier:
    permissions.exiger(par, "instruire_dossier", dossier)
    texte = (texte or "").strip()
    if not texte:
        raise Refus("Écrivez l’annotation.")
    if len(texte) > LONGUEUR_MAX:
        raise Refus(f"Une annotation tient en {LONGUEUR_MAX} caractères au plus.")
    annotation = AnnotationDossier.objects.create(dossier=dossier, auteur=par, texte=texte)
    journaliser(acteur=par, action="annotation_ecrite", objet=dossier, details={"annotation": annotation.pk})
    return annotation


@transaction.atomic
def suivre(*, dossier: Dossier, par, suivi: bool) -> bool:
    """Follow (or stop following) the dossier; idempotent. Returns whether the user follows it now."""
    permissions.exiger(par, "instruire_dossier", dossier)
    if suivi:
        SuiviDossier.objects.get_or_create(dossier=dossier, utilisateur=par)
    else:
        SuiviDossier.objects.filter(dossier=dossier, utilisateur=par).delete()
    return suivi
