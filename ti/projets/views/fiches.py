"""Pages of the fiches-action: a territory's list, create, modify, a fiche, archive, documents, follow-up notes.

Each view: scope (a queryset of the permission layer: out of scope is a 404), form, action (which checks the right:
a 403), message, redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane
from ti.core.televersements import format_lisible
from ti.core.vues import annoncer_changements, refus_dans, refus_en_message
from ti.projets import affichage, fiches, selectors
from ti.projets.actions import fiches as actions
from ti.projets.forms import ArchivageForm, DocumentForm, FinancementFormSet, NoteForm, ProjetForm
from ti.projets.models import Document, Projet
from ti.territoires.models import Territoire

PAR_PAGE = 50


def _liens_du_territoire(territoire: Territoire) -> list[tuple[str, str]]:
    return [
        ("Les territoires d’industrie", reverse("territoires:liste")),
        (territoire.nom, territoire.get_absolute_url()),
        ("Fiches-action", reverse("projets:territoire", args=[territoire.identifiant])),
    ]


def _dans_le_perimetre(user):
    """The active fiches of the territories within the user's habilitations: what they may try to edit."""
    return Projet.objects.actifs().filter(territoire__in=Territoire.objects.du_perimetre(user))


def liste_territoire(request, identifiant):
    territoire = get_object_or_404(Territoire.objects.visible_to(request.user), identifiant=identifiant)
    projets = selectors.FichesDuTerritoire(request.user, territoire)
    page = Paginator(projets, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    equipe = permissions.peut(request.user, "voir_suivi_projets", territoire)
    return render(
        request,
        "projets/fiche_liste.html",
        {
            "territoire": territoire,
            "page_obj": page,
            "pagination": affichage.pagination(request, page),
            "equipe": equipe,
            "peut_modifier": permissions.peut(request.user, "modifier_projet", territoire),
            "fil_ariane": fil_ariane(
                "Fiches-action",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )


def _formulaire(request, *, territoire, projet, form, financements, titre, fil):
    totaux = fiches.totaux_financement(financements.lignes_saisies(), _budget_saisi(form, projet))
    return render(
        request,
        "projets/fiche_formulaire.html",
        {
            "territoire": territoire,
            "projet": projet,
            "form": form,
            "financements": financements,
            "totaux": totaux,
            "titre": titre,
            "fil_ariane": fil,
        },
    )


def _budget_saisi(form, projet):
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get("budget")
    return projet.budget if projet else None


def _avertir_si_depassement(request, form, financements) -> None:
    """A financing plan above the budget is allowed (a plan in progress often is), but the user is told. Read from
    the forms just saved: they hold every line of the fiche, and the fiche's version proved nobody wrote in between."""
    totaux = fiches.totaux_financement(financements.lignes_saisies(), form.cleaned_data["budget"])
    if totaux.depasse_le_budget:
        messages.warning(request, totaux.avertissement)


@login_required
@une_seule_fois
def creer(request, identifiant):
    territoire = get_object_or_404(Territoire.objects.du_perimetre(request.user), identifiant=identifiant)
    permissions.exiger(request.user, "modifier_projet", territoire)
    form = ProjetForm(request.POST or None, territoire=territoire)
    financements = FinancementFormSet(request.POST or None, instance=Projet(territoire=territoire), prefix="lignes")
    if request.method == "POST" and all([form.is_valid(), financements.is_valid()]):
        with refus_dans(form):
            projet = actions.creer_projet(
                territoire=territoire, par=request.user, donnees=form.donnees(), financements=financements.donnees()
            )
            messages.success(request, f"La fiche-action « {projet.titre} » est créée.")
            _avertir_si_depassement(request, form, financements)
            return redirect(projet)
    return _formulaire(
        request,
        territoire=territoire,
        projet=None,
        form=form,
        financements=financements,
        titre="Nouvelle fiche-action",
        fil=fil_ariane("Nouvelle fiche-action", *_liens_du_territoire(territoire)),
    )


@login_required
def modifier(request, pk):
    projet = get_object_or_404(_dans_le_perimetre(request.user).select_related("territoire", "commune"), pk=pk)
    territoire = projet.territoire
    permissions.exiger(request.user, "modifier_projet", projet)
    # Named before the form is validated: validation writes what was typed onto `projet`.
    titre = f"Modifier la fiche-action « {projet.titre} »"
    fil = fil_ariane("Modifier", *_liens_du_territoire(territoire), (projet.titre, projet.get_absolute_url()))
    form = ProjetForm(request.POST or None, instance=projet, territoire=territoire)
    financements = FinancementFormSet(request.POST or None, instance=projet, prefix="lignes")
    if request.method == "POST" and all([form.is_valid(), financements.is_valid()]):
        with refus_dans(form):  # the form is shown again with everything typed in
            changements = actions.modifier_projet(
                projet=projet,
                par=request.user,
                donnees=form.donnees(),
                financements=financements.donnees(),
                version=form.cleaned_data["version"],
                motif=form.cleaned_data.get("motif", ""),
            )
            annoncer_changements(
                request,
                changements,
                fait="Les modifications de la fiche-action sont enregistrées.",
                inchange="la fiche-action est inchangée.",
            )
            _avertir_si_depassement(request, form, financements)
            return redirect(projet)
    return _formulaire(
        request,
        territoire=territoire,
        projet=projet,
        form=form,
        financements=financements,
        titre=titre,
        fil=fil,
    )


def _contexte_detail(request, projet: Projet, **formulaires) -> dict:
    user = request.user
    equipe = permissions.peut(user, "voir_suivi_projets", projet)
    peut_modifier = permissions.peut(user, "modifier_projet", projet)
    for document in projet.documents_actifs:
        document.format = format_lisible(document.nom)
    return {
        "projet": projet,
        "territoire": projet.territoire,
        "totaux": fiches.totaux_du_projet(projet),
        "equipe": equipe,
        "peut_modifier": peut_modifier,
        "historique": fiches.historique_lisible(projet) if equipe else None,
        "notes": fiches.notes_de_suivi(projet) if equipe else None,
        "form_note": formulaires.get("form_note") or (NoteForm() if equipe else None),
        "form_document": formulaires.get("form_document") or (DocumentForm() if peut_modifier else None),
        "fil_ariane": fil_ariane(projet.titre, *_liens_du_territoire(projet.territoire)),
    }


def detail(request, pk):
    projet = get_object_or_404(fiches.fiche_complete(Projet.objects.visible_to(request.user)), pk=pk)
    return render(request, "projets/fiche_detail.html", _contexte_detail(request, projet))


@login_required
def archiver(request, pk):
    projet = get_object_or_404(_dans_le_perimetre(request.user).select_related("territoire"), pk=pk)
    permissions.exiger(request.user, "modifier_projet", projet)
    form = ArchivageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            actions.archiver_projet(projet=projet, par=request.user, motif=form.cleaned_data["motif"])
            messages.success(
                request,
                f"La fiche-action « {projet.titre} » est archivée : elle ne figure plus dans les listes ni dans le "
                f"prochain plan d’action, et reste dans l’historique.",
            )
            return redirect("projets:territoire", projet.territoire.identifiant)
    return render(
        request,
        "projets/fiche_archiver.html",
        {
            "projet": projet,
            "form": form,
            "fil_ariane": fil_ariane(
                "Archiver", *_liens_du_territoire(projet.territoire), (projet.titre, projet.get_absolute_url())
            ),
        },
    )


@login_required
@require_POST
@une_seule_fois
def deposer_document(request, pk):
    projet = get_object_or_404(fiches.fiche_complete(_dans_le_perimetre(request.user)), pk=pk)
    permissions.exiger(request.user, "modifier_projet", projet)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        with refus_dans(form):
            document = actions.deposer_document(projet=projet, par=request.user, fichier=form.cleaned_data["fichier"])
            messages.success(request, f"Le document « {document.nom} » est déposé.")
            return redirect(f"{projet.get_absolute_url()}#documents")
    contexte = _contexte_detail(request, projet, form_document=form)
    return render(request, "projets/fiche_detail.html", contexte, status=400)


def _document(request, pk, document_pk, projets) -> Document:
    projet = get_object_or_404(projets, pk=pk)
    document = get_object_or_404(Document.objects.filter(projet=projet, archive_le__isnull=True), pk=document_pk)
    document.projet = projet
    return document


def telecharger_document(request, pk, document_pk):
    """Whoever sees the fiche downloads its documents: everybody for a published fiche, the team otherwise."""
    document = _document(request, pk, document_pk, Projet.objects.visible_to(request.user))
    return document.telechargement("Le document")


@login_required
@require_POST
def archiver_document(request, pk, document_pk):
    document = _document(request, pk, document_pk, _dans_le_perimetre(request.user))
    with refus_en_message(request):
        actions.archiver_document(document=document, par=request.user)
        messages.success(request, f"Le document « {document.nom} » est retiré de la fiche ; il reste archivé.")
    return redirect(f"{document.projet.get_absolute_url()}#documents")


@login_required
@require_POST
@une_seule_fois
def ajouter_note(request, pk):
    projet = get_object_or_404(fiches.fiche_complete(_dans_le_perimetre(request.user)), pk=pk)
    permissions.exiger(request.user, "voir_suivi_projets", projet)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.ajouter_note(projet=projet, par=request.user, texte=form.cleaned_data["texte"])
        except actions.Refus as refus:
            form.add_error("texte", str(refus))
        else:
            messages.success(request, "La note de suivi est enregistrée.")
            return redirect(f"{projet.get_absolute_url()}#suivi")
    return render(request, "projets/fiche_detail.html", _contexte_detail(request, projet, form_note=form), status=400)
