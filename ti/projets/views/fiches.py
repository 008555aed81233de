"""Placeholder until this part lands: every route answers 404."""

from django.http import Http404


def _a_venir(request, **kwargs):
    raise Http404("À venir")


liste_territoire = creer = detail = modifier = archiver = deposer_document = telecharger_document = ajouter_note = (
    _a_venir
)
