"""The network's events: the programme, an event with its registration, its calendar file, attendance, exports."""

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from ti.animation import actions, agenda
from ti.animation.forms import EvenementForm, MotifForm
from ti.animation.models import Inscription, StatutInscription
from ti.animation.selectors import evenements
from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.exports import FORMATS_DE_TABLEAU, piece_jointe, telechargement
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans, refus_en_message

PROGRAMME = ("Animation du réseau", reverse_lazy("animation:programme"))


def programme(request):
    a_venir = evenements(request.user).filter(fin__gte=timezone.now()).order_by("debut")
    return render(
        request,
        "animation/programme.html",
        {
            "evenements": a_venir,
            "membre": permissions.peut(request.user, "echanger_reseau"),
            "planificateur": permissions.peut(request.user, "planifier_evenement"),
            "fil_ariane": fil_ariane("Animation du réseau"),
        },
    )


@login_required
@une_seule_fois
def nouvel_evenement(request):
    permissions.exiger(request.user, "planifier_evenement")
    form = EvenementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        evenement = actions.planifier(par=request.user, **form.cleaned_data)
        messages.success(request, "L’événement est au programme ; les inscriptions sont ouvertes.")
        return redirect(evenement)
    return render(
        request,
        "animation/nouvel_evenement.html",
        {"form": form, "fil_ariane": fil_ariane("Planifier un événement", PROGRAMME)},
    )


def _evenement(request, pk):
    return get_object_or_404(evenements(request.user), pk=pk)


@login_required
@une_seule_fois
def modifier_evenement(request, pk: int):
    evenement = _evenement(request, pk)
    permissions.exiger(request.user, "animer_evenement", evenement)
    form = EvenementForm(request.POST or None, instance=evenement, user=request.user)
    if request.method == "POST" and form.is_valid():
        champs = {nom: form.cleaned_data[nom] for nom in form.Meta.fields}
        with refus_dans(form):
            actions.modifier(evenement=evenement, par=request.user, **champs)
            messages.success(request, "L’événement est modifié ; les agendas abonnés se mettront à jour.")
            return redirect(evenement)
    return render(
        request,
        "animation/nouvel_evenement.html",
        {"form": form, "evenement": evenement, "fil_ariane": fil_ariane("Modifier l’événement", PROGRAMME)},
    )


@login_required
def annuler_evenement(request, pk: int):
    evenement = _evenement(request, pk)
    permissions.exiger(request.user, "animer_evenement", evenement)
    form = MotifForm(request.POST or None)
    form.fields["motif"].label = "Motif de l’annulation, envoyé aux inscrits"
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            actions.annuler_evenement(evenement=evenement, par=request.user, motif=form.cleaned_data["motif"])
            messages.success(request, "L’événement est annulé ; les inscrits et la liste d’attente en sont prévenus.")
            return redirect(evenement)
    return render(
        request,
        "animation/annuler_evenement.html",
        {"form": form, "evenement": evenement, "fil_ariane": fil_ariane("Annuler l’événement", PROGRAMME)},
    )


def evenement(request, pk: int):
    evenement = _evenement(request, pk)
    animateur = permissions.peut(request.user, "animer_evenement", evenement)
    inscriptions = []
    mienne = evenement.inscriptions.filter(participant_id=request.user.pk or 0, present=True).first()
    if animateur:
        inscriptions = evenement.inscriptions.exclude(statut=StatutInscription.ANNULEE).select_related("participant")
    return render(
        request,
        "animation/evenement.html",
        {
            "evenement": evenement,
            "places_restantes": max(evenement.capacite - evenement.occupees, 0),
            "ouvert": timezone.now() <= evenement.cloture_inscriptions,
            "commence": timezone.now() >= evenement.debut,
            "termine": timezone.now() > evenement.fin,
            "membre": permissions.peut(request.user, "echanger_reseau"),
            "animateur": animateur,
            "inscriptions": inscriptions,
            "mienne": mienne,
            "fil_ariane": fil_ariane(str(evenement), PROGRAMME),
        },
    )


@login_required
@require_POST
def inscrire(request, pk: int):
    evenement = _evenement(request, pk)
    with refus_en_message(request):
        inscription = actions.inscrire(evenement=evenement, par=request.user)
        if inscription.statut == StatutInscription.INSCRIT:
            messages.success(request, "Vous êtes inscrit. Ajoutez l’événement à votre agenda (fichier iCalendar).")
        else:
            messages.warning(
                request,
                "L’événement est complet : vous êtes sur la liste d’attente. "
                "Vous serez inscrit et prévenu dès qu’une place se libère.",
            )
    return redirect(evenement)


@login_required
@require_POST
def annuler(request, pk: int):
    evenement = _evenement(request, pk)
    inscription = get_object_or_404(Inscription, evenement=evenement, participant=request.user)
    with refus_en_message(request):
        actions.annuler(inscription=inscription, par=request.user)
        messages.success(request, "Votre inscription est annulée.")
    return redirect(evenement)


def fichier_agenda(request, pk: int):
    evenement = _evenement(request, pk)
    contenu = agenda.ics(evenement, request.build_absolute_uri(evenement.get_absolute_url()))
    return piece_jointe(contenu, "text/calendar; charset=utf-8", f"evenement-{evenement.pk}.ics")


@login_required
@require_POST
def presences(request, pk: int):
    evenement = _evenement(request, pk)
    permissions.exiger(request.user, "animer_evenement", evenement)
    try:
        presents = {int(v) for v in request.POST.getlist("presents")}
        venus = actions.noter_presences(evenement=evenement, par=request.user, presents=presents)
    except ValueError:
        messages.error(request, "La liste des présences envoyée est illisible : rechargez la page et recommencez.")
    except actions.Refus as refus:
        messages.error(request, str(refus))
    else:
        messages.success(request, f"Présences enregistrées : {venus} présent(s).")
    return redirect(reverse("animation:evenement", args=[evenement.pk]) + "#inscriptions")


@login_required
def export_inscriptions(request, pk: int, format_: str = "csv"):
    """The registrations in CSV, XLSX or ODS (ti/core/exports.py: no cell runs as a formula)."""
    evenement = _evenement(request, pk)
    permissions.exiger(request.user, "animer_evenement", evenement)
    if format_ not in FORMATS_DE_TABLEAU:
        raise Http404("Ce format d’export n’existe pas.")
    donnees = tablib.Dataset(
        headers=["Nom", "Courriel", "Organisation", "Statut", "Depuis", "Présent"], title="Inscriptions"
    )
    presence = {True: "oui", False: "non", None: ""}
    for i in evenement.inscriptions.select_related("participant"):
        personne = i.participant
        depuis = timezone.localtime(i.depuis).strftime("%d/%m/%Y %H:%M")
        donnees.append([personne.get_full_name(), personne.email, personne.organisation, i.get_statut_display(),
                        depuis, presence[i.present]])  # fmt: skip
    return telechargement(donnees, format_, f"inscriptions-{evenement.pk}")


@login_required
def attestation(request, pk: int, inscription_pk: int):
    """The attestation of attendance: for the person who came, and for the event's organisers; nobody else (404)."""
    evenement = _evenement(request, pk)
    inscription = get_object_or_404(
        evenement.inscriptions.select_related("participant"), pk=inscription_pk, present=True
    )
    if inscription.participant_id != request.user.pk and not permissions.peut(
        request.user, "animer_evenement", evenement
    ):
        raise Http404
    return render(
        request,
        "animation/attestation.html",
        {"evenement": evenement, "inscription": inscription, "fil_ariane": fil_ariane("Attestation", PROGRAMME)},
    )
