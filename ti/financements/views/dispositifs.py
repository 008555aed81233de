"""Placeholder until this part lands: every route answers 404."""

from django.http import Http404


def _a_venir(request, **kwargs):
    raise Http404("À venir")


liste = detail = repartir = transferer = _a_venir
