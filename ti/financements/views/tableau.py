"""Placeholder until this part lands: every route answers 404."""

from django.http import Http404


def _a_venir(request, **kwargs):
    raise Http404("À venir")


file = enveloppe = programme = _a_venir
