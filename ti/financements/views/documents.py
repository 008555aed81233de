"""The dossier's documents: the récépissé of its filing (PDF) and the decision letter (.docx and PDF).

Out of scope is a 404 (`Dossier.objects.visible_to`); a role that may not have the document a 403; a letter that
lacks its signatory, the legal references or the porteur's address is refused with what is missing, on the dossier
page, never produced with a blank or a guess.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from ti.comptes import permissions
from ti.core.exports import piece_jointe
from ti.core.pdf import TYPE_PDF
from ti.financements import lettre, recepisse
from ti.financements.models import Statut
from ti.financements.views.instruction import DECIDES, _dossier_visible

TYPE_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RELATIONS = ("enveloppe__region", "dispositif", "commune", "territoire")


@login_required
def recepisse_depot(request, reference):
    dossier = _dossier_visible(request.user, reference, *RELATIONS)
    if dossier.statut == Statut.BROUILLON or dossier.depose_le is None:
        raise Http404("Ce dossier n’a pas encore été déposé : il n’a pas de récépissé.")
    permissions.exiger(request.user, "telecharger_recepisse", dossier)
    return piece_jointe(recepisse.recepisse_pdf(dossier), TYPE_PDF, f"recepisse-{dossier.reference}.pdf")


def _lettre(request, reference, fabriquer, type_de_contenu: str, extension: str):
    dossier = _dossier_visible(request.user, reference, *RELATIONS)
    if dossier.statut not in DECIDES:
        raise Http404("Ce dossier n’est pas encore décidé.")
    try:
        contenu = fabriquer(dossier)
    except lettre.LettreImpossible as refus:
        messages.error(request, str(refus))
        return redirect(dossier)
    return piece_jointe(contenu, type_de_contenu, f"decision-{dossier.reference}.{extension}")


@login_required
def lettre_decision(request, reference):
    return _lettre(request, reference, lettre.lettre_decision, TYPE_DOCX, "docx")


@login_required
def lettre_decision_pdf(request, reference):
    return _lettre(request, reference, lettre.lettre_decision_pdf, TYPE_PDF, "pdf")
