"""Placeholder until this part lands: every route answers 404."""

from django.http import Http404


def _a_venir(request, **kwargs):
    raise Http404("À venir")


dossier = envoyer_message = etape = rendre_avis = lettre_decision = _a_venir
