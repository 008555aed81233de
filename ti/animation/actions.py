"""The state-changing steps of the network's life: each one checks, locks, writes, journals and queues its notices.

Registrations lock their event's row (select_for_update) first: two people taking the last seat at the same moment
are served one after the other, so an event never has more registered people than seats."""

import secrets

from django.db import transaction
from django.utils import timezone

from ti.animation.models import CYCLE_EVENEMENT, CYCLE_INSCRIPTION, Evenement, FluxAgenda, Inscription, StatutEvenement
from ti.animation.models import StatutInscription as Statut
from ti.comptes.permissions import exiger
from ti.core.etats import Refus
from ti.core.formats import date_longue, heure
from ti.core.models import journaliser
from ti.core.travaux import differer

__all__ = [
    "Refus",
    "renouveler_flux",
    "planifier",
    "modifier",
    "annuler_evenement",
    "inscrire",
    "annuler",
    "noter_presences",
]


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
def modifier(*, evenement: Evenement, par, **champs) -> Evenement:
    """The organisers change an event; more seats go at once to the waiting list, fewer never below the people
    registered. Journalled with the names of the fields changed."""
    exiger(par, "animer_evenement", evenement)
    evenement = Evenement.objects.select_for_update().get(pk=evenement.pk)
    if evenement.annule:
        raise Refus("Un événement annulé ne se modifie plus.")
    occupees = evenement.inscriptions.filter(statut=Statut.INSCRIT).count()
    if champs.get("capacite", evenement.capacite) < occupees:
        raise Refus(
            f"{occupees} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous de {occupees}."
        )
    changes = sorted(nom for nom, valeur in champs.items() if getattr(evenement, nom) != valeur)
    for nom in changes:
        setattr(evenement, nom, champs[nom])
    if "region" in changes:  # a referent moves an event within his own régions only
        exiger(par, "planifier_evenement", evenement)
    if changes:
        evenement.save(update_fields=changes)
    journaliser(acteur=par, action="animation.evenement_modifie", objet=evenement, details={"champs": changes})
    if timezone.now() < evenement.debut:
        _promouvoir(evenement, evenement.capacite - occupees)
    return evenement


@transaction.atomic
def annuler_evenement(*, evenement: Evenement, par, motif: str) -> Evenement:
    """The organisers cancel an event with a reason; the registered and waiting people are told through the queue.
    Registrations stay as they were, for the record."""
    exiger(par, "animer_evenement", evenement)
    evenement = Evenement.objects.select_for_update().get(pk=evenement.pk)
    if not motif.strip():
        raise Refus("Dites aux inscrits pourquoi l’événement est annulé : le motif leur est envoyé.")
    if evenement.annule:
        raise Refus("Cet événement est déjà annulé.")
    if timezone.now() > evenement.fin:
        raise Refus("Un événement terminé ne s’annule plus.")
    evenement.motif_annulation = motif.strip()
    CYCLE_EVENEMENT.passer(
        evenement,
        StatutEvenement.ANNULE,
        par=par,
        motif=evenement.motif_annulation,
        autres_champs=("motif_annulation",),
    )
    differer("ti.animation.notifications.evenement_annule", evenement.pk)
    return evenement


@transaction.atomic
def inscrire(*, evenement: Evenement, par) -> Inscription:
    """A seat if one is left, else the waiting list; refused after the deadline or when already registered."""
    exiger(par, "echanger_reseau")
    evenement = Evenement.objects.select_for_update().get(pk=evenement.pk)
    maintenant = timezone.now()
    if evenement.annule:
        raise Refus(f"« {evenement} » est annulé : les inscriptions sont fermées.")
    if maintenant > evenement.cloture_inscriptions:
        cloture = f"{date_longue(evenement.cloture_inscriptions)} à {heure(evenement.cloture_inscriptions)}"
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
    if not liberee or timezone.now() > evenement.debut or evenement.annule:
        return None
    promues = _promouvoir(evenement, 1)
    return promues[0] if promues else None


def _promouvoir(evenement: Evenement, places: int) -> list[Inscription]:
    """The first `places` people of the waiting list get a seat, and are told; the event's row is locked."""
    promues = list(evenement.inscriptions.filter(statut=Statut.ATTENTE).order_by("depuis", "pk")[: max(places, 0)])
    for suivante in promues:
        motif = "Place libérée : première de la liste d’attente"
        CYCLE_INSCRIPTION.passer(suivante, Statut.INSCRIT, par=None, motif=motif)
        differer("ti.animation.notifications.place_confirmee", suivante.pk)
    return promues


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
