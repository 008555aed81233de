"""The dossier page (every role in scope), its thread, the instruction steps, the opinions, the decision letter."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.core.cache import pour_le_lecteur
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane
from ti.core.trous import contexte_a_trous, remplir
from ti.core.vues import refus_dans
from ti.financements import forms_instruction as f
from ti.financements.actions import annotations
from ti.financements.actions import instruction as actions
from ti.financements.models import (
    CYCLE_DOSSIER,
    AnnotationDossier,
    Avis,
    Dossier,
    Message,
    PieceAvis,
    PieceJointe,
    Statut,
    SuiviDossier,
    Transition,
)


@dataclass(frozen=True)
class Etape:
    titre: str
    bouton: str
    form: type
    action: object
    depuis: frozenset  # the states it is offered in: the workflow's step (CYCLE_DOSSIER.pas) it takes
    destructive: bool = False  # ends the dossier: styled as such, confirmed in a dialog (or a box without JS)


PAS = CYCLE_DOSSIER.pas
# The instructor's steps, offered where the dossier's workflow allows them; the payments are offered where the
# solde may be; the opinions, outside the workflow, while the instruction is open.
ETAPES = {
    "ouvrir": Etape(
        "Ouvrir l’instruction", "Dossier complet : ouvrir l’instruction", f.MotifFacultatifForm,
        actions.ouvrir_instruction, PAS["ouvrir"].depuis,
    ),
    "incomplet": Etape(
        "Déclarer le dossier incomplet", "Demander des compléments", f.MotifForm,
        actions.declarer_incomplet, PAS["incomplet"].depuis,
    ),
    "irrecevable": Etape(
        "Déclarer le dossier irrecevable", "Déclarer irrecevable", f.MotifDestructifForm,
        actions.declarer_irrecevable, PAS["irrecevable"].depuis, destructive=True,
    ),
    "avis": Etape(
        "Demander des avis", "Demander les avis", f.DemandeAvisForm,
        actions.demander_des_avis, actions.AVIS_OUVERTS,
    ),
    "proposer": Etape(
        "Proposer", "Proposer au décideur", f.PropositionForm, actions.proposer, PAS["proposer"].depuis
    ),
    "decider": Etape(
        "Décider", "Enregistrer la décision", f.DecisionForm,
        actions.decider, PAS["decider"].depuis,
    ),
    "classer": Etape(
        "Classer sans suite", "Classer sans suite", f.MotifDestructifForm,
        actions.classer_sans_suite, PAS["classer"].depuis, destructive=True,
    ),
    "rouvrir": Etape(
        "Rouvrir l’instruction", "Rouvrir", f.MotifForm,
        actions.rouvrir, PAS["rouvrir"].depuis,
    ),
    "engager": Etape(
        "Enregistrer la convention", "Engager", f.EngagementForm, actions.engager, PAS["engager"].depuis
    ),
    "versement": Etape(
        "Enregistrer un versement", "Enregistrer le versement", f.VersementForm,
        actions.enregistrer_versement, PAS["solder"].depuis,
    ),
}  # fmt: skip
DECIDES = {Statut.ACCEPTE, Statut.REFUSE, Statut.CLASSE_SANS_SUITE, Statut.ENGAGE, Statut.SOLDE}


# What the dossier page reads of its relations. Each further join costs the planner more than the query costs to
# run (nine tables took ~10 ms to plan for 0.5 ms of execution): the letter alone adds the région's name.
RELATIONS_DE_LA_PAGE = ("enveloppe", "dispositif", "territoire", "commune", "projet")


# The lists of the page that stay empty for much of a dossier's life (no opinion before the instruction opens, no
# note, no message): whether each has a row is asked in the dossier's own query, so that an empty one costs no query.
LISTES_SOUVENT_VIDES = {"a_des_avis": Avis, "a_des_annotations": AnnotationDossier, "a_des_messages": Message}
# What the page shows of its relations (and the permission layer reads: the envelope's région). Their other columns
# (a fiche-action has dozens) took more to select and build than the query takes to run.
COLONNES_DES_RELATIONS = ("enveloppe__region", "dispositif__nom", "territoire__nom", "commune__nom", "projet__titre")


def _dossiers_visibles(user, *relations: str):
    dossiers = Dossier.objects.visible_to(user).select_related(*(relations or RELATIONS_DE_LA_PAGE))
    suivi = Exists(SuiviDossier.objects.filter(dossier=OuterRef("pk"), utilisateur=user.pk))
    return dossiers.annotate(suivi_par_moi=suivi)


def _dossier_visible(user, reference: str, *relations: str) -> Dossier:
    return get_object_or_404(_dossiers_visibles(user, *relations), reference=reference)


def _dossier_de_la_page(user, reference: str) -> Dossier:
    """As `_dossier_visible`, for the page only (an action reads the whole dossier and its relations): the columns
    it shows of the relations, and which of `LISTES_SOUVENT_VIDES` have rows."""
    existe = {nom: Exists(m.objects.filter(dossier=OuterRef("pk"))) for nom, m in LISTES_SOUVENT_VIDES.items()}
    champs = [champ.name for champ in Dossier._meta.concrete_fields]
    dossiers = _dossiers_visibles(user).annotate(**existe).only(*champs, *COLONNES_DES_RELATIONS)
    return get_object_or_404(dossiers, reference=reference)


def _a_des(dossier: Dossier, liste: str) -> bool:
    """False only when the page's query said the list is empty (a dossier read by `_dossier_visible`: ask)."""
    return getattr(dossier, liste, True)


def resume_des_erreurs(forms) -> list[dict]:
    """Every error of the page's bound forms at once, each with the anchor of its field (or of its form), for the
    error summary at the top of the page."""
    erreurs = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for nom, messages_ in form.errors.items():
            if nom == "__all__":
                ancre, libelle = f"formulaire-{form.prefix or form.ancre}", ""
            else:
                ancre, libelle = form[nom].auto_id, form.fields[nom].label
            erreurs.extend({"ancre": ancre, "libelle": libelle, "message": m} for m in messages_)
    return erreurs


def _page(request, dossier: Dossier, *, formulaires=None, form_message=None, form_annotation=None, status=200):
    """The dossier as the user may see it, with the forms of the steps they may take (bound ones kept, their errors
    summed up at the top)."""
    forms = {"formulaires": formulaires, "form_message": form_message, "form_annotation": form_annotation}
    titre, contenu, erreurs = _contenu(request, dossier, **forms)
    return _rendre(request, dossier.reference, titre, contenu, erreurs=erreurs, status=status)


def _rendre(request, reference: str, titre: str, contenu: str, *, erreurs=(), status=200):
    return render(
        request,
        "financements/dossier.html",
        {"titre": titre, "contenu": contenu, "erreurs": erreurs, "fil_ariane": fil_ariane(reference)},
        status=status,
    )


def _contenu(request, dossier: Dossier, *, formulaires=None, form_message=None, form_annotation=None, trous=False):
    """The page's content: title, HTML and errors. What it shows follows the roles that apply to this dossier
    (`permissions.roles_sur_dossier`), not those held elsewhere. `trous`: its tokens left as marks, to be kept
    (ti/core/trous.py)."""
    user = request.user
    instructeur = permissions.peut(user, "instruire_dossier", dossier)
    voit_avis = permissions.peut(user, "voir_avis", dossier)
    formulaires = formulaires or {}
    etapes = []
    if instructeur:
        for code, etape in ETAPES.items():
            if dossier.statut in etape.depuis or code in formulaires:
                form = formulaires.get(code) or etape.form(dossier=dossier, prefix=code)
                etapes.append({"code": code, "etape": etape, "form": form})
    avis = []
    if voit_avis and _a_des(dossier, "a_des_avis"):
        for un_avis in dossier.avis.select_related("demande_par", "rendu_par", "piece"):
            un_avis.dossier = dossier  # the permission check reads the dossier: no query per opinion
            un_avis.peut_rendre = un_avis.rendu_le is None and permissions.peut(user, "rendre_avis", un_avis)
            avis.append(un_avis)
    for item in etapes:
        item["confirmee"] = "confirmation" in item["form"].fields
        item["destructive"] = item["etape"].destructive
    porteur = permissions.peut(user, "deposer_dossier", dossier)
    annotations = []
    if instructeur and _a_des(dossier, "a_des_annotations"):
        annotations = list(dossier.annotations.select_related("auteur"))
    suivi = instructeur and dossier.suivi_par_moi
    voit_echanges = permissions.peut(user, "voir_echanges", dossier)
    fil = []
    if voit_echanges and _a_des(dossier, "a_des_messages"):
        fil = list(dossier.messages.select_related("auteur"))
    contexte = {
        "dossier": dossier,
        "instructeur": instructeur,
        "porteur": porteur,
        "voit_avis": voit_avis,
        "avis": avis,
        "avis_en_retard": [a for a in avis if a.en_retard],
        "etapes": etapes,
        "annotations": annotations,
        "form_annotation": form_annotation or f.AnnotationForm(),
        "suivi": suivi,
        "financements": list(dossier.financements.all()),
        "pieces": list(dossier.pieces.filter(archive_le__isnull=True)),
        "transitions": list(Transition.objects.filter(dossier=dossier).select_related("par")),
        "voit_echanges": voit_echanges,
        "fil": fil,
        "peut_ecrire": dossier.statut != Statut.BROUILLON and permissions.peut(user, "ecrire_message", dossier),
        "form_message": form_message or f.MessageForm(),
        "versements": list(dossier.versements.all()) if dossier.montant_engage else [],  # none before the convention
        "lettre": dossier.statut in DECIDES,
        "recepisse": dossier.depose_le is not None and permissions.peut(user, "telecharger_recepisse", dossier),
        "PieceJointe": PieceJointe,
        "erreurs": resume_des_erreurs([*(item["form"] for item in etapes), form_message, form_annotation]),
    } | (contexte_a_trous() if trous else {})
    contenu = render_to_string("financements/_dossier.html", contexte, request)
    return f"{dossier.reference} — {dossier.intitule}", contenu, contexte["erreurs"]


@login_required
def dossier(request, reference):
    # The page as this reader sees it, kept until the next write, its forms' tokens new at each answer (decision
    # 0068 « Suite, deuxième temps »); a dossier out of his scope is a 404, never kept.
    titre, contenu, _ = pour_le_lecteur(
        request.user,
        f"dossier:{reference}",
        lambda: _contenu(request, _dossier_de_la_page(request.user, reference), trous=True),
    )
    return _rendre(request, reference, titre, remplir(contenu, request))


@login_required
@require_POST
def etape(request, reference):
    dossier = _dossier_visible(request.user, reference)  # out of scope: 404
    code = request.POST.get("etape", "")
    if code not in ETAPES:
        raise Http404("Étape inconnue.")
    permissions.exiger(request.user, "instruire_dossier", dossier)  # in scope, wrong role: 403
    etape = ETAPES[code]
    form = etape.form(request.POST, dossier=dossier, prefix=code)
    if form.is_valid():
        donnees = {cle: valeur for cle, valeur in form.cleaned_data.items() if cle != "confirmation"}
        with refus_dans(form):
            etape.action(dossier=dossier, par=request.user, **donnees)
            messages.success(request, f"{etape.titre} : c’est enregistré.")
            return redirect(dossier)
    dossier.refresh_from_db()
    return _page(request, dossier, formulaires={code: form}, status=400)


def _ecrire(request, dossier: Dossier, form, action, succes: str, ancre: str):
    """A text written on the dossier (a message, an annotation): saved, or the page again with every error."""
    if form.is_valid():
        with refus_dans(form):
            action(dossier=dossier, par=request.user, texte=form.cleaned_data["texte"])
            messages.success(request, succes)
            return redirect(f"{dossier.get_absolute_url()}#{ancre}")
    return _page(request, dossier, **{f"form_{form.ancre}": form}, status=400)


@login_required
@require_POST
@une_seule_fois
def envoyer_message(request, reference):
    dossier = _dossier_visible(request.user, reference)
    return _ecrire(
        request, dossier, f.MessageForm(request.POST), actions.envoyer_message, "Message envoyé.", "echanges"
    )


@login_required
def rendre_avis(request, reference, avis_pk):
    dossier = _dossier_visible(request.user, reference)
    avis = get_object_or_404(Avis.objects.filter(dossier=dossier), pk=avis_pk)
    avis.dossier = dossier
    permissions.exiger(request.user, "rendre_avis", avis)
    form = f.AvisForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            actions.rendre_avis(avis=avis, par=request.user, type_mime=form.type_mime, **form.cleaned_data)
            messages.success(request, "Avis rendu. Merci.")
            return redirect(dossier)
    return render(
        request,
        "financements/dossier_avis.html",
        {"dossier": dossier, "avis": avis, "form": form, "fil_ariane": fil_ariane("Avis")},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def annoter(request, reference):
    dossier = _dossier_visible(request.user, reference)  # out of scope: 404
    permissions.exiger(request.user, "instruire_dossier", dossier)  # the porteur, an expert: 403
    return _ecrire(
        request, dossier, f.AnnotationForm(request.POST), annotations.annoter, "Annotation enregistrée.", "notes"
    )


@login_required
@require_POST
def suivre(request, reference):
    dossier = _dossier_visible(request.user, reference)
    permissions.exiger(request.user, "instruire_dossier", dossier)
    suivi = annotations.suivre(dossier=dossier, par=request.user, suivi=request.POST.get("suivre") == "1")
    messages.success(request, "Vous suivez ce dossier." if suivi else "Vous ne suivez plus ce dossier.")
    return redirect(dossier)


@login_required
def piece_avis(request, reference, avis_pk):
    """The file joined to an opinion: for those who read the opinions of the dossier, never the porteur."""
    dossier = _dossier_visible(request.user, reference)
    if not permissions.peut(request.user, "voir_avis", dossier):
        raise Http404("Pièce introuvable.")
    piece = get_object_or_404(PieceAvis.objects.select_related("avis"), avis__pk=avis_pk, avis__dossier=dossier)
    return piece.telechargement("La pièce de l’avis")
