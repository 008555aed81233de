"""HTTP caching of the public API's answers."""

from functools import wraps

from django.utils.cache import patch_cache_control

DUREE_CACHE = 300  # seconds: the data changes with an import or an edit, a few minutes' delay is harmless


def cache_public(operation_run):
    """Mark successful answers as cacheable by anyone for a few minutes; errors are never cached.

    The answers are the same for every caller (territories are public records and contacts are never exposed).
    Should `visible_to` ever depend on the user, this must become `private`.
    """

    @wraps(operation_run)
    def run(request, *args, **kwargs):
        response = operation_run(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=DUREE_CACHE)
        return response

    return run
