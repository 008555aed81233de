"""The directory of the network: for its signed-in members only (others: 404), listing only the people who
consented; « Ma fiche dans l'annuaire » gives and withdraws that consent at any time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ti.animation import actions_annuaire as actions
from ti.animation.forms_annuaire import FicheAnnuaireForm, RechercheAnnuaireForm
from ti.animation.models_annuaire import FicheAnnuaire
from ti.animation.selectors_annuaire import LIMITE
from ti.animation.selectors_annuaire import annuaire as entrees
from ti.animation.views import PROGRAMME
from ti.comptes import permissions
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_en_message

ANNUAIRE = ("Annuaire du réseau", reverse_lazy("animation:annuaire"))


@login_required
def annuaire(request):
    if not permissions.peut(request.user, "echanger_reseau"):
        raise Http404  # out of the network: the directory does not exist for you
    form = RechercheAnnuaireForm(request.GET)
    lignes, total = None, 0
    if form.is_valid():
        lignes = list(entrees(**form.criteres())[: LIMITE + 1])
        total = len(lignes)
    return render(
        request,
        "animation/annuaire/annuaire.html",
        {
            "form": form,
            "lignes": lignes[:LIMITE] if lignes is not None else None,
            "tronque": total > LIMITE,
            "limite": LIMITE,
            "peut_figurer": permissions.peut(request.user, "figurer_annuaire"),
            "fil_ariane": fil_ariane(ANNUAIRE[0], PROGRAMME),
        },
    )


@login_required
def ma_fiche(request):
    if not permissions.peut(request.user, "figurer_annuaire"):
        raise Http404  # only chefs de projet, binômes and regional referents are in the directory
    fiche = FicheAnnuaire.objects.filter(utilisateur=request.user).first() or FicheAnnuaire(utilisateur=request.user)
    themes = list(fiche.expertises.values_list("theme", flat=True)) if fiche.pk else []
    initial = {"themes": themes, "consentement": fiche.consentie}
    form = FicheAnnuaireForm(request.POST or None, instance=fiche, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.consentir_annuaire(par=request.user, themes=form.cleaned_data["themes"], **form.champs_montres())
        messages.success(request, "Votre fiche est dans l’annuaire du réseau, avec ce que vous avez choisi de montrer.")
        return redirect("animation:ma_fiche")
    return render(
        request,
        "animation/annuaire/ma_fiche.html",
        {"form": form, "fiche": fiche, "fil_ariane": fil_ariane("Ma fiche dans l’annuaire", PROGRAMME, ANNUAIRE)},
    )


@login_required
@require_POST
def retirer(request):
    with refus_en_message(request):
        actions.retirer_annuaire(par=request.user)
        messages.success(request, "Votre fiche est retirée de l’annuaire : plus personne ne la voit.")
    return redirect("animation:ma_fiche")
