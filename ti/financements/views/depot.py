"""The porteur's pages: eligibility, the dossier form (drafts), documents, filing, « mes dossiers ».

Out of scope is a 404 (`Dossier.objects.visible_to`), a forbidden action a 403 (the permission layer), a filed
dossier a 403 with its reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane
from ti.financements import eligibilite as regles
from ti.financements.actions import depot as actions
from ti.financements.forms_depot import DossierForm, EligibiliteForm, LignesDossierFormSet, PieceForm
from ti.financements.models import Dispositif, Dossier, PieceJointe, Statut
from ti.financements.views.aides import cle_de_session

STATUTS_DECIDES = {Statut.ACCEPTE, Statut.ENGAGE, Statut.SOLDE}


def _fil(courant: str, *liens) -> dict:
    return fil_ariane(courant, ("Mes dossiers", reverse("financements:mes_dossiers")), *liens)


def _dossiers_du_porteur(user):
    """The dossiers of the SIRETs the user is habilitated on today (others' dossiers are out of scope)."""
    return Dossier.objects.visible_to(user).filter(porteur_siret__in=permissions.sirets_du_porteur(user))


def _dossier(request, reference) -> Dossier:
    dossier = get_object_or_404(
        _dossiers_du_porteur(request.user).select_related("dispositif", "enveloppe__region", "territoire", "commune"),
        reference=reference,
    )
    permissions.exiger(request.user, "deposer_dossier", dossier)
    return dossier


def _fige(request, dossier):
    """A filed dossier: the 403 page says why, and where to follow it."""
    return render(
        request,
        "financements/depot_fige.html",
        {"dossier": dossier, "message": actions.MESSAGE_FIGE, "fil_ariane": _fil(dossier.reference)},
        status=403,
    )


@login_required
@une_seule_fois
def eligibilite(request, code):
    permissions.exiger(request.user, "deposer_dossier")
    dispositif = get_object_or_404(Dispositif, code=code)
    # The answers of the public check (views/aides.py), if the applicant ran it before signing up.
    reprises = request.session.get(cle_de_session(dispositif), {})
    form = EligibiliteForm(request.POST or None, dispositif=dispositif, utilisateur=request.user, initial=reprises)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        dossier = actions.creer_dossier(
            par=request.user,
            dispositif=dispositif,
            enveloppe=form.enveloppe,
            territoire=d["territoire"],
            commune=d["commune"],
            volet=d["volet"],
            siret=d["siret"],
            porteur_nom=d["porteur_nom"],
            porteur_type=d["porteur_type"],
            intitule=d["intitule"],
        )
        messages.success(
            request,
            f"Votre projet est éligible : le dossier {dossier.reference} est créé en brouillon. Complétez-le, "
            "en plusieurs fois si besoin, puis déposez-le.",
        )
        return redirect("financements:modifier", reference=dossier.reference)
    return render(
        request,
        "financements/eligibilite.html",
        {
            "dispositif": dispositif,
            "form": form,
            "ferme": regles.raison_dispositif_ferme(dispositif, timezone.localdate()),
            "fil_ariane": _fil(f"Éligibilité — {dispositif.nom}"),
        },
    )


def _page_dossier(request, dossier, form, lignes, piece_form=None, raisons=None, status=200):
    pieces = list(dossier.pieces.filter(archive_le__isnull=True).select_related("depose_par"))
    presentes = {p.type for p in pieces}
    return render(
        request,
        "financements/depot_formulaire.html",
        {
            "dossier": dossier,
            "form": form,
            "lignes": lignes,
            "pieces": pieces,
            "pieces_manquantes": [
                PieceJointe.Type(t).label for t in actions.pieces_requises(dossier) if t not in presentes
            ],
            "piece_form": piece_form or PieceForm(),
            "raisons": raisons,
            "a_completer": actions.raisons_incompletude(dossier) if raisons is None else [],
            "fil_ariane": _fil(dossier.reference),
        },
        status=status,
    )


@login_required
def modifier(request, reference):
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    form = DossierForm(request.POST or None, instance=dossier, utilisateur=request.user)
    lignes = LignesDossierFormSet(request.POST or None, instance=dossier, prefix="lignes")
    if request.method == "POST":
        if form.is_valid() and lignes.is_valid():
            try:
                actions.enregistrer(
                    dossier=dossier,
                    par=request.user,
                    version=form.cleaned_data["version"],
                    donnees={champ: form.cleaned_data[champ] for champ in actions.CHAMPS},
                    lignes=lignes.donnees(),
                )
            except actions.VersionPerimee:
                form.add_error(
                    None,
                    "Le dossier a été enregistré entre-temps (dans un autre onglet ?) : votre saisie n’a pas été "
                    "enregistrée. Rechargez la page pour repartir de la dernière version.",
                )
            else:
                messages.success(request, "Brouillon enregistré. Vous pouvez le reprendre plus tard.")
                return redirect("financements:modifier", reference=dossier.reference)
        dossier.refresh_from_db()
        return _page_dossier(request, dossier, form, lignes, status=400)
    return _page_dossier(request, dossier, form, lignes)


@login_required
@require_POST
@une_seule_fois
def deposer_piece(request, reference):
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    piece_form = PieceForm(request.POST, request.FILES)
    if not piece_form.is_valid():
        form = DossierForm(instance=dossier, utilisateur=request.user)
        lignes = LignesDossierFormSet(instance=dossier, prefix="lignes")
        return _page_dossier(request, dossier, form, lignes, piece_form=piece_form, status=400)
    piece = actions.ajouter_piece(
        dossier=dossier,
        par=request.user,
        type=piece_form.cleaned_data["type"],
        fichier=piece_form.cleaned_data["fichier"],
        type_mime=piece_form.type_mime,
    )
    messages.success(request, f"Pièce « {piece.nom} » jointe au dossier.")
    return redirect("financements:modifier", reference=dossier.reference)


@login_required
def telecharger_piece(request, reference, piece_pk):
    """Whoever sees the dossier (porteur, instructors, territory) may read its documents."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), reference=reference)
    piece = get_object_or_404(PieceJointe, pk=piece_pk, dossier=dossier)
    if not piece.servable:  # quarantined, or not yet scanned: never served
        raise Http404(f"La pièce « {piece.nom} » n’est pas téléchargeable : {piece.get_analyse_display()}.")
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Fichier introuvable") from None
    return FileResponse(fichier, as_attachment=True, filename=piece.nom, content_type=piece.type_mime)


@login_required
@require_POST
def deposer(request, reference):
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    try:
        dossier = actions.deposer(
            dossier=dossier, par=request.user, creer_fiche=request.POST.get("creer_fiche") == "on"
        )
    except actions.DossierIncomplet as erreur:
        form = DossierForm(instance=dossier, utilisateur=request.user)
        lignes = LignesDossierFormSet(instance=dossier, prefix="lignes")
        return _page_dossier(request, dossier, form, lignes, raisons=erreur.raisons, status=400)
    if dossier.projet_id and request.POST.get("creer_fiche") == "on":
        messages.info(
            request,
            f"La fiche-action « {dossier.projet.titre} » a été créée à partir du dossier dans le territoire "
            f"{dossier.territoire.nom} ; l’équipe du territoire la complète et la publie.",
        )
    messages.success(
        request,
        f"Dossier {dossier.reference} déposé. Un accusé de dépôt vous est envoyé par courriel ; le dossier n’est "
        "plus modifiable pendant l’instruction.",
    )
    return redirect("financements:mes_dossiers")


@login_required
def mes_dossiers(request):
    permissions.exiger(request.user, "deposer_dossier")
    dossiers = (
        _dossiers_du_porteur(request.user)
        .select_related("dispositif", "enveloppe__region", "territoire", "commune")
        .annotate(total_verse=Sum("versements__montant"))
        .order_by("-modifie_le", "-pk")
    )
    jour = timezone.localdate()
    return render(
        request,
        "financements/mes_dossiers.html",
        {
            "dossiers": dossiers,
            "statuts_decides": STATUTS_DECIDES,
            "dispositifs_ouverts": Dispositif.objects.filter(ouverture__lte=jour, cloture__gte=jour),
            "fil_ariane": fil_ariane("Mes dossiers"),
        },
    )
