"""Pages of the plan d'action (a version, its steps, its downloads) and of the contrat de territoire.

Plans are the territory team's work: outside one's scope, and for public visitors, every page here is a 404.
"""

from datetime import date

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.exports import FORMATS_DE_TABLEAU, TYPES_DE_CONTENU, piece_jointe, telechargement
from ti.core.formats import date_fr
from ti.core.models import historique
from ti.core.navigation import fil_ariane
from ti.core.vues import annoncer_changements, refus_dans
from ti.projets import plans_annexe, plans_contenu, plans_tableaux
from ti.projets.actions import plans as actions
from ti.projets.forms_plans import ContratForm, SignataireFormSet, TransitionForm
from ti.projets.models import CYCLE_PLAN, ContratTerritoire, PlanAction, Signataire, StatutPlan
from ti.territoires.models import Territoire


def _territoire(user, identifiant: str) -> Territoire:
    return get_object_or_404(Territoire.objects.du_perimetre(user).prefetch_related("regions"), identifiant=identifiant)


def _plan(user, identifiant: str, numero: int, *, pour_agir: bool = False) -> PlanAction:
    """A plan version within the user's scope (404 otherwise); `pour_agir`: with what the role checks read."""
    plans = PlanAction.objects.visible_to(user).select_related("territoire", "soumis_par", "valide_par")
    if pour_agir:
        plans = plans.prefetch_related("territoire__regions")
    return get_object_or_404(plans, territoire__identifiant=identifiant, numero=numero)


# The plan d'action.


def _contexte_du_plan(request, plan: PlanAction, form: TransitionForm | None = None) -> dict:
    territoire = plan.territoire
    fiches = plans_contenu.fiches_du_plan(plan)
    transitions = list(plan.transitions.select_related("par"))
    versions = list(PlanAction.objects.filter(territoire=territoire).order_by("-numero").only("numero", "statut"))
    pas = CYCLE_PLAN.pas_possibles(plan)  # the workflow's steps open now, offered to whom the rules allow
    peut_soumettre = "soumettre" in pas and permissions.peut(request.user, "soumettre_plan", plan)
    peut_valider = "valider" in pas and permissions.peut(request.user, "valider_plan", plan)
    return {
        "plan": plan,
        "territoire": territoire,
        "fiches": fiches,
        "totaux": plans_contenu.totaux(fiches),
        "transitions": transitions,
        "versions": versions,
        "derniere_version": versions[0] if versions else plan,
        "fiches_changees": actions.fiches_changees_depuis_la_soumission(plan),
        "peut_soumettre": peut_soumettre,
        "peut_valider": peut_valider,
        "form": form or TransitionForm(initial={"transitions_vues": len(transitions)}),
        "formats": FORMATS_DE_TABLEAU,
        "fil_ariane": fil_ariane(
            f"Plan d’action, version {plan.numero}",
            ("Les territoires d’industrie", reverse("territoires:liste")),
            (territoire.nom, territoire.get_absolute_url()),
        ),
    }


def plan_courant(request, identifiant):
    """The latest version. Reading creates nothing: version 1 opens on a POST, by a role that writes the plan."""
    territoire = _territoire(request.user, identifiant)
    if request.method == "POST":
        plan = actions.ouvrir_plan(territoire=territoire, par=request.user)
    else:
        plan = actions.dernier_plan(territoire)
    if plan is not None:
        return redirect("projets:plan", identifiant=territoire.identifiant, numero=plan.numero)
    return render(
        request,
        "projets/plan_absent.html",
        {
            "territoire": territoire,
            "peut_ouvrir": permissions.peut(request.user, "soumettre_plan", territoire),
            "fil_ariane": fil_ariane(
                "Plan d’action",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )


def plan(request, identifiant, numero):
    plan = _plan(request.user, identifiant, numero, pour_agir=True)
    return render(request, "projets/plan.html", _contexte_du_plan(request, plan))


@require_POST
def transition(request, identifiant, numero):
    plan = _plan(request.user, identifiant, numero, pour_agir=True)
    form = TransitionForm(request.POST)
    if form.is_valid():
        etape = TransitionForm.ACTIONS[form.cleaned_data["action"]]
        with refus_dans(form):
            plan = etape(
                plan=plan,
                par=request.user,
                motif=form.cleaned_data["motif"],
                transitions_vues=form.cleaned_data["transitions_vues"],
            )
            messages.success(request, _message_de_succes(plan))
            return redirect(plan)
    plan.refresh_from_db()
    return render(request, "projets/plan.html", _contexte_du_plan(request, plan, form))


def _message_de_succes(plan: PlanAction) -> str:
    if plan.statut == StatutPlan.SOUMIS:
        return f"La version {plan.numero} du plan d’action est soumise au binôme."
    if plan.statut == StatutPlan.BROUILLON:
        return (
            f"La version {plan.numero} du plan d’action est renvoyée au chef de projet ; elle redevient un brouillon."
        )
    suivante = PlanAction.objects.filter(territoire_id=plan.territoire_id, numero=plan.numero + 1).exists()
    message = f"La version {plan.numero} du plan d’action est validée."
    if suivante:
        message += (
            f" Des fiches-action ont changé pendant son examen : la version {plan.numero + 1} est ouverte en brouillon."
        )
    return message


# Downloads: the Word annex and the tables. Any version for the team; a version not validated says so.


def annexe_docx(request, identifiant, numero):
    plan = _plan(request.user, identifiant, numero)
    fiches = plans_contenu.fiches_du_plan(plan)
    contenu = plans_annexe.annexe_docx(plan, fiches, plans_annexe.contrat_de_l_annexe(plan))
    return piece_jointe(contenu, TYPES_DE_CONTENU["docx"], f"{plans_tableaux.nom_de_fichier(plan)}.docx")


def export(request, identifiant, numero, format):
    if format not in FORMATS_DE_TABLEAU:
        raise Http404("Format inconnu : CSV, XLSX ou ODS.")
    plan = _plan(request.user, identifiant, numero)
    donnees = plans_tableaux.tableau(plan, plans_contenu.fiches_du_plan(plan), pour_csv=format == "csv")
    return telechargement(donnees, format, plans_tableaux.nom_de_fichier(plan))


# The contrat de territoire.


LIBELLES_DU_JOURNAL = {"contrat_cree": "Contrat enregistré", "contrat_modifie": "Contrat modifié"}
LIBELLES_DES_CHAMPS = {"intitule": "Intitulé", "date_signature": "Date de signature", "plan": "Version annexée"}


def _lisible(cle: str, valeur) -> str:
    if valeur in (None, ""):
        return "(vide)"
    if cle == "plan":
        return f"version {valeur}"
    if cle == "date_signature":
        return date_fr(date.fromisoformat(valeur))
    return str(valeur)


def lignes_du_journal(details: dict) -> list[str]:
    """The changes of a contract ({key: [before, after]}, see `actions.enregistrer_contrat`) in words."""
    lignes = []
    for cle, (avant, apres) in details.items():
        if cle.startswith("signataire."):
            signataire = apres or avant
            nom = f"{signataire['organisme']} ({Signataire.Type(signataire['type']).label})"
            verbe = "ajouté" if avant is None else "retiré" if apres is None else "modifié"
            lignes.append(f"Signataire {verbe} : {nom}")
        else:
            libelle = LIBELLES_DES_CHAMPS.get(cle, cle)
            lignes.append(f"{libelle} : « {_lisible(cle, avant)} » devient « {_lisible(cle, apres)} »")
    return lignes


@une_seule_fois
def contrat(request, identifiant):
    territoire = _territoire(request.user, identifiant)
    contrat = (
        ContratTerritoire.objects.filter(territoire=territoire)
        .select_related("plan")
        .prefetch_related(Prefetch("signataires", queryset=Signataire.objects.order_by("type", "organisme")))
        .order_by("-pk")
        .first()
    )
    peut_gerer = permissions.peut(request.user, "gerer_contrat", territoire)
    form = signataires = None
    if request.method == "POST":
        permissions.exiger(request.user, "gerer_contrat", territoire)
    if peut_gerer:
        donnees = request.POST if request.method == "POST" else None
        form = ContratForm(donnees, instance=contrat, territoire=territoire)
        signataires = SignataireFormSet(
            donnees,
            instance=contrat or ContratTerritoire(territoire=territoire),
            prefix="signataires",
            queryset=Signataire.objects.order_by("type", "organisme"),
        )
        if request.method == "POST" and all([form.is_valid(), signataires.is_valid()]):
            with refus_dans(form):
                contrat, changements = actions.enregistrer_contrat(
                    territoire=territoire,
                    par=request.user,
                    contrat=contrat,
                    donnees=form.donnees(),
                    signataires=signataires.donnees(),
                    motif=form.cleaned_data["motif"],
                )
                annoncer_changements(
                    request,
                    changements,
                    fait="Le contrat de territoire est enregistré.",
                    inchange="le contrat est inchangé.",
                )
                return redirect("projets:contrat", identifiant=territoire.identifiant)
    journal = list(historique(contrat)[:20]) if contrat else []
    return render(
        request,
        "projets/contrat.html",
        {
            "territoire": territoire,
            "contrat": contrat,
            "peut_gerer": peut_gerer,
            "form": form,
            "signataires": signataires,
            "journal": [
                {
                    "entree": entree,
                    "libelle": LIBELLES_DU_JOURNAL.get(entree.action, entree.action),
                    "lignes": lignes_du_journal(entree.details),
                }
                for entree in journal
            ],
            "fil_ariane": fil_ariane(
                "Contrat de territoire",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )
