"""The French error pages of the DSFR layout, with DEBUG on as well (docs/decisions/0059-pages-publiques.md).

Without DEBUG, Django renders a 404 with `handler404` (ti/core/views.py). With DEBUG it shows its technical page
instead, in English, listing the routes: a person trying `make run` who opens an unknown territory or a dossier out
of their scope should see what production shows. 403 needs nothing: Django renders `handler403` in both modes.
A 500 keeps Django's technical page under DEBUG: that one is for the developer.
"""

from django.conf import settings
from django.http import Http404

from ti.core.views import page_introuvable


class PagesErreurEnFrancais:
    """Placed after CommonMiddleware, so that an address missing its final slash is still redirected first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_introuvable(request)  # no route matched this address
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_introuvable(request, exception)  # raised by a view: unknown object, or out of scope
        return None
