"""The state-changing steps of the network's life: each one checks, locks, writes, journals and queues its notices.

Registrations lock their event's row (select_for_update) first: two people taking the last seat at the same moment
are served one after the other, so an event never has more registered people than seats."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ti.animation.models import CYCLE_INSCRIPTION, Evenement, FluxAgenda, Inscription
from ti.animation.models import StatutInscription as Statut
from ti.comptes.permissions import exiger
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.travaux import differer

__all__ = ["Refus", "renouveler_flux", "planifier", "inscrire", "annuler", "noter_presences"]


@transaction.atomic
def renouveler_flux(*, par) -> FluxAgenda:
    """Creates the person's calendar feed, or gives it a new secret address (the old one stops working)."""
    exiger(par, "echanger_reseau")
    flux, cree = FluxAgenda.objects.update_or_create(utilisateur=par, defaults={"jeton": secrets.token_urlsafe(32)})
    journaliser(acteur=par, action="animation.flux_agenda", objet=flux, details={"renouvele": not cree})
    return flux


@transaction.atomic
def planifier(*, par, **champs) -> Evenement:
    evenement = Evenement(organisateur=par, **champs)
    exiger(par, "planifier_evenement", evenement)
    evenement.save()
    journaliser(acteur=par, action="animation.evenement_planifie", objet=evenement, details={"titre": evenement.titre})
    return evenement


@transaction.atomic
def inscrire(*, evenement: Evenement, par) -> Inscription:
    """A seat if one is left, else the waiting list; refused after the deadline or when already registered."""
    exiger(par, "echanger_reseau")
    evenement = Evenement.objects.select_for_update().get(pk=evenement.pk)
    maintenant = timezone.now()
    if maintenant > evenement.cloture_inscriptions:
        cloture = date_format(timezone.localtime(evenement.cloture_inscriptions), "j F Y à H:i")
        raise Refus(f"Les inscriptions à « {evenement} » sont closes depuis le {cloture}.")
    inscription = Inscription.objects.filter(evenement=evenement, participant=par).first()
    if inscription is not None and inscription.statut != Statut.ANNULEE:
        if inscription.statut == Statut.ATTENTE:
            raise Refus(f"Vous êtes déjà sur la liste d’attente de « {evenement} ».")
        raise Refus(f"Vous êtes déjà inscrit à « {evenement} ».")
    occupees = evenement.inscriptions.filter(statut=Statut.INSCRIT).count()
    statut = Statut.INSCRIT if occupees < evenement.capacite else Statut.ATTENTE
    if inscription is None:
        inscription = Inscription.objects.create(evenement=evenement, participant=par, statut=statut)
        journaliser(acteur=par, action="animation.inscription", objet=inscription, details={"statut": statut})
    else:
        inscription.depuis = maintenant  # back at the end of the waiting list
        CYCLE_INSCRIPTION.passer(inscription, statut, par=par, motif="Nouvelle inscription", autres_champs=("depuis",))
    return inscription


@transaction.atomic
def annuler(*, inscription: Inscription, par, motif: str = "") -> Inscription | None:
    """Cancels a registration (its holder, or the event's organisers); a freed seat goes to the first person
    waiting, who is told. Returns the promoted registration, if any."""
    if inscription.participant_id != par.pk:
        exiger(par, "animer_evenement", inscription.evenement)
    evenement = Evenement.objects.select_for_update().get(pk=inscription.evenement_id)
    inscription = Inscription.objects.get(pk=inscription.pk)
    liberee = inscription.statut == Statut.INSCRIT
    CYCLE_INSCRIPTION.passer(inscription, Statut.ANNULEE, par=par, motif=motif or "Annulation")
    if not liberee or timezone.now() > evenement.debut:
        return None
    suivante = evenement.inscriptions.filter(statut=Statut.ATTENTE).order_by("depuis", "pk").first()
    if suivante is None:
        return None
    CYCLE_INSCRIPTION.passer(suivante, Statut.INSCRIT, par=None, motif="Place libérée : première de la liste d’attente")
    differer("ti.animation.notifications.place_confirmee", suivante.pk)
    return suivante


@transaction.atomic
def noter_presences(*, evenement: Evenement, par, presents: set[int]) -> int:
    """The organiser records who came, among the registered people (`presents`: their registrations' keys);
    returns how many were present."""
    exiger(par, "animer_evenement", evenement)
    if timezone.now() < evenement.debut:
        raise Refus("Les présences se notent une fois l’événement commencé.")
    inscrits = evenement.inscriptions.filter(statut=Statut.INSCRIT)
    if inconnus := presents - set(inscrits.values_list("pk", flat=True)):
        raise Refus(f"{len(inconnus)} personne(s) cochée(s) ne sont pas inscrites à cet événement.")
    venus = inscrits.filter(pk__in=presents).update(present=True)
    inscrits.exclude(pk__in=presents).update(present=False)
    journaliser(acteur=par, action="animation.presences", objet=evenement, details={"presents": sorted(presents)})
    return venus
