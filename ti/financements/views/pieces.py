"""The pieces of a dossier: joined (one or several files of a type) and withdrawn by the porteur until the filing,
read by whoever sees the dossier.

Progressive enhancement: the dossier form posts its files and « Retirer » buttons to `depot.modifier`, which saves the
draft first; with JavaScript (static/financements/pieces.js) the same buttons call these routes with `fetch` and get
back the pieces' part of the page only (`X-Requested-With: fetch`), so the page is not reloaded and what is typed
stays where it is. Without that header, they redirect to the form as any post does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ti.core.envois import une_seule_fois
from ti.financements.actions import depot as actions
from ti.financements.forms_depot import DossierForm, LignesDossierFormSet, PieceForm
from ti.financements.models import Dossier, PieceJointe
from ti.financements.views.depot import _dossier, _fige, _page_dossier, contexte_pieces, joindre


def _par_fetch(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _reponse(request, dossier, message: str, *, piece_form=None, status=200):
    if _par_fetch(request):
        contexte = {**contexte_pieces(dossier, piece_form), "annonce": message}
        return render(request, "financements/_pieces.html", contexte, status=status)
    if status == 200:
        messages.success(request, message)
    return redirect(reverse("financements:modifier", args=[dossier.reference]) + "#pieces")


@login_required
@require_POST
@une_seule_fois
def deposer_piece(request, reference):
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    piece_form = PieceForm(request.POST, request.FILES)
    if not piece_form.is_valid():
        if _par_fetch(request):
            return _reponse(request, dossier, "Aucun fichier n’a été joint.", piece_form=piece_form, status=400)
        form = DossierForm(instance=dossier, utilisateur=request.user)
        lignes = LignesDossierFormSet(instance=dossier, prefix="lignes")
        return _page_dossier(request, dossier, form, lignes, piece_form=piece_form, status=400)
    noms = [f"« {piece.nom} »" for piece in joindre(request, dossier, piece_form)]
    pluriel = "s" if len(noms) > 1 else ""
    return _reponse(request, dossier, f"Pièce{pluriel} {', '.join(noms)} jointe{pluriel} au dossier.")


@login_required
@require_POST
def retirer_piece(request, reference, piece_pk):
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    piece = get_object_or_404(PieceJointe, pk=piece_pk, dossier=dossier, archive_le__isnull=True)
    actions.retirer_piece(piece=piece, par=request.user)
    return _reponse(request, dossier, f"Pièce « {piece.nom} » retirée du dossier.")


@login_required
def telecharger_piece(request, reference, piece_pk):
    """Whoever sees the dossier (porteur, instructors, territory) may read its documents."""
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), reference=reference)
    piece = get_object_or_404(PieceJointe, pk=piece_pk, dossier=dossier)
    return piece.telechargement("La pièce")
