"""Pages of the engineering part: the public catalogue, the territory's request, the triage, the missions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.exports import telechargement
from ti.core.models import historique
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans
from ti.ingenierie import actions, export, resultats, selectors
from ti.ingenierie.forms import (
    DemandeForm,
    EtapeDemandeForm,
    EvaluationForm,
    ExamenLivrableForm,
    FichesMissionForm,
    JoursForm,
    LivrableForm,
    MissionForm,
    RechercheOffresForm,
    StatutMissionForm,
)
from ti.ingenierie.models import CYCLE_DEMANDE, CYCLE_MISSION, Demande, Mission, Offre
from ti.ingenierie.views_budget import contexte_du_tableau_national
from ti.ingenierie.views_phases import phases_de_la_mission
from ti.territoires.models import Territoire


def _vers_catalogue() -> tuple[str, str]:
    return ("Offre d’ingénierie", reverse("ingenierie:catalogue"))


def catalogue(request):
    form = RechercheOffresForm(request.GET)
    offres = Offre.objects.visible_to(request.user)
    offres = form.filtrer(offres) if form.is_valid() else offres.none()
    return render(
        request,
        "ingenierie/catalogue.html",
        {"form": form, "offres": list(offres), "fil_ariane": fil_ariane("Offre d’ingénierie")},
    )


def _territoires_demandeurs(user) -> list[Territoire]:
    """The territories where the user may ask for support (chef de projet, binôme)."""
    return list(Territoire.objects.filter(pk__in=permissions.territoires_demandeurs(user)).order_by("nom"))


def offre(request, pk: int):
    offre = get_object_or_404(Offre.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "ingenierie/offre.html",
        {
            "offre": offre,
            "territoires": _territoires_demandeurs(request.user),
            "fil_ariane": fil_ariane(offre.titre, _vers_catalogue()),
        },
    )


@login_required
def tableau(request):
    """What awaits the user: the requests and missions of his scope (a consultant: his missions only)."""
    demandes = Demande.objects.visible_to(request.user).select_related("territoire", "offre")
    missions = Mission.objects.visible_to(request.user).select_related("territoire")
    return render(
        request,
        "ingenierie/tableau.html",
        {
            "demandes": list(demandes[:200]),
            "missions": list(missions[:200]),
            "territoires": _territoires_demandeurs(request.user),
            "en_retard": selectors.phases_en_retard(missions, timezone.localdate()),
            **(contexte_du_tableau_national(request) if permissions.peut(request.user, "piloter_mission") else {}),
            "fil_ariane": fil_ariane("Demandes et missions", _vers_catalogue()),
        },
    )


@login_required
def export_missions(request, format: str):
    if format not in export.FORMATS_DE_TABLEAU:
        raise Http404("Format inconnu : CSV, XLSX ou ODS.")
    missions = Mission.objects.visible_to(request.user).select_related("territoire")
    return telechargement(export.tableau_missions(missions, pour_csv=format == "csv"), format, "missions-ingenierie")


@login_required
@une_seule_fois
def nouvelle_demande(request, identifiant: str):
    territoire = get_object_or_404(Territoire.objects.du_perimetre(request.user), identifiant=identifiant)
    permissions.exiger(request.user, "demander_ingenierie", territoire)
    form = DemandeForm(request.POST or None, territoire=territoire, initial={"offre": request.GET.get("offre")})
    if request.method == "POST" and form.is_valid():
        champs = {k: v for k, v in form.cleaned_data.items() if k != "projets"}
        with refus_dans(form):
            demande = actions.creer_demande(
                territoire=territoire, par=request.user, projets=list(form.cleaned_data["projets"]), **champs
            )
            messages.success(request, "Demande enregistrée en brouillon : relisez-la puis soumettez-la.")
            return redirect(demande)
    return render(
        request,
        "ingenierie/nouvelle_demande.html",
        {
            "form": form,
            "territoire": territoire,
            "fil_ariane": fil_ariane("Demander un accompagnement", _vers_catalogue()),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def demande(request, pk: int):
    demandes = Demande.objects.visible_to(request.user).select_related(
        "territoire", "offre", "offre_proposee", "mission"
    )
    demande = get_object_or_404(demandes.prefetch_related("projets"), pk=pk)
    form = EtapeDemandeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            actions.changer_statut_demande(demande=demande, par=request.user, **form.cleaned_data)
            messages.success(request, "Étape enregistrée ; le territoire et les personnes concernées sont prévenus.")
            return redirect(demande)
    etapes = [e for e in CYCLE_DEMANDE.suivants(demande) if permissions.peut(request.user, _regle(e), demande)]
    return render(
        request,
        "ingenierie/demande.html",
        {
            "demande": demande,
            "form": form,
            "etapes": etapes,
            "peut_commander": demande.statut == "acceptee"
            and not hasattr(demande, "mission")
            and permissions.peut(request.user, "piloter_mission", demande),
            "historique": historique(demande)[:50],
            "fil_ariane": fil_ariane(str(demande), ("Demandes et missions", reverse("ingenierie:tableau"))),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@une_seule_fois
def commander_mission(request, pk: int):
    demande = get_object_or_404(Demande.objects.visible_to(request.user).select_related("territoire"), pk=pk)
    permissions.exiger(request.user, "piloter_mission", demande)
    form = MissionForm(request.POST or None, initial={"intitule": f"Accompagnement de {demande.territoire.nom}"})
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            mission = actions.commander_mission(demande=demande, par=request.user, **form.cleaned_data)
            messages.success(request, "Mission commandée : les consultants nommés la voient dans leur espace.")
            return redirect(mission)
    return render(
        request,
        "ingenierie/commander_mission.html",
        {
            "form": form,
            "demande": demande,
            "fil_ariane": fil_ariane("Commander la mission", (str(demande), demande.get_absolute_url())),
        },
        status=400 if form.is_bound else 200,
    )


def _regle(etape) -> str:
    return actions.REGLE_DE_L_ETAPE[etape]


@login_required
def mission(request, pk: int):
    missions = Mission.objects.visible_to(request.user).select_related("territoire", "demande")
    mission = get_object_or_404(missions.prefetch_related("consultants", "livrables", "phases"), pk=pk)
    phases, sans_phase = phases_de_la_mission(mission)
    fiches = list(resultats.fiches_de_la_mission(mission, request.user))
    peut_rattacher = permissions.peut(request.user, "rattacher_fiches_mission", mission)
    form_statut = StatutMissionForm(request.POST if "statut" in request.POST else None)
    form_jours = JoursForm(request.POST if "jours_consommes" in request.POST else None)
    form_evaluation = EvaluationForm(
        request.POST if "satisfaction" in request.POST else None,
        initial={"satisfaction": mission.satisfaction, "evaluation": mission.evaluation},
    )
    etapes = (
        (form_statut, actions.changer_statut_mission),
        (form_jours, actions.declarer_jours),
        (form_evaluation, actions.evaluer_mission),
    )
    for form, action in etapes:
        if form.is_bound and form.is_valid():
            with refus_dans(form):
                action(mission=mission, par=request.user, **form.cleaned_data)
                messages.success(request, "Mission mise à jour.")
                return redirect(mission)
    return render(
        request,
        "ingenierie/mission.html",
        {
            "mission": mission,
            "form_statut": form_statut,
            "form_jours": form_jours,
            "form_evaluation": form_evaluation,
            "suivants": CYCLE_MISSION.suivants(mission),
            "peut_piloter": permissions.peut(request.user, "piloter_mission", mission),
            "peut_declarer": permissions.peut(request.user, "declarer_jours", mission),
            "peut_deposer": permissions.peut(request.user, "deposer_livrable", mission),
            "peut_valider": permissions.peut(request.user, "evaluer_mission", mission),  # same rule: the territory
            "fiches": fiches,
            "mobilise": sum((fiche.obtenu for fiche in fiches), 0),
            "form_fiches": FichesMissionForm(mission=mission, initial={"projets": [f.pk for f in fiches]})
            if peut_rattacher and mission.statut != "annulee"
            else None,
            "phases": phases,
            "sans_phase": sans_phase,
            "form_livrable": LivrableForm(mission=mission),
            "form_examen": ExamenLivrableForm(),
            "historique": historique(mission)[:50],
            "fil_ariane": fil_ariane(mission.intitule, ("Demandes et missions", reverse("ingenierie:tableau"))),
        },
        status=400 if request.method == "POST" else 200,
    )
