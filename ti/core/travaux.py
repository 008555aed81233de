"""Work done after the response's transaction: `differer("module.fonction", *args)`.

For now the function runs synchronously once the current transaction commits (at once when there is none); the
job queue replaces this module, with the same call sites: a dotted path and arguments that a queue can store
(identifiers, not objects), so that the function reads its records again when it runs.
"""

from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string


def differer(chemin_fonction: str, *args) -> None:
    fonction = import_string(chemin_fonction)  # a wrong path fails here, in the request, not later in a worker
    transaction.on_commit(partial(fonction, *args))
