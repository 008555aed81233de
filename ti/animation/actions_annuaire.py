"""The directory's steps: consent (stored with its date) and its withdrawal, at any time; both journalled."""

from django.db import transaction
from django.utils import timezone

from ti.animation.models_annuaire import ExpertiseAnnuaire, FicheAnnuaire
from ti.comptes.permissions import exiger
from ti.core.etats import Refus
from ti.core.models import journaliser

__all__ = ["Refus", "consentir_annuaire", "retirer_annuaire"]


@transaction.atomic
def consentir_annuaire(*, par, themes: list[str], **champs) -> FicheAnnuaire:
    """Listed in the directory with what the person chose to show; the date of the consent is kept."""
    exiger(par, "figurer_annuaire")
    fiche, _ = FicheAnnuaire.objects.select_for_update().get_or_create(utilisateur=par)
    nouveau = not fiche.consentie
    for nom, valeur in champs.items():
        setattr(fiche, nom, valeur)
    if nouveau:
        fiche.consentement_le, fiche.retrait_le = timezone.now(), None
    fiche.save()
    fiche.expertises.exclude(theme__in=themes).delete()
    ExpertiseAnnuaire.objects.bulk_create(
        [ExpertiseAnnuaire(fiche=fiche, theme=t) for t in themes], ignore_conflicts=True
    )
    journaliser(
        acteur=par,
        action="animation.annuaire_consentement" if nouveau else "animation.annuaire_fiche_modifiee",
        objet=fiche,
        details={"montre": sorted(nom for nom, valeur in champs.items() if valeur is True), "themes": sorted(themes)},
    )
    return fiche


@transaction.atomic
def retirer_annuaire(*, par) -> FicheAnnuaire:
    """Out of the directory at once; what the person had written is erased, the date of the withdrawal kept."""
    fiche = FicheAnnuaire.objects.select_for_update().filter(utilisateur=par).first()
    if fiche is None or not fiche.consentie:
        raise Refus("Vous ne figurez pas dans l’annuaire du réseau.")
    fiche.consentement_le, fiche.retrait_le = None, timezone.now()
    fiche.fonction = fiche.presentation = fiche.telephone = ""
    fiche.montrer_courriel = fiche.montrer_telephone = False
    fiche.save()
    fiche.expertises.all().delete()
    journaliser(acteur=par, action="animation.annuaire_retrait", objet=fiche)
    return fiche
