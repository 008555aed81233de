"""One template engine per process for the DSFR forms.

django-dsfr 3.6 renders `DsfrBaseForm` with `DsfrDjangoTemplates`, and `DsfrBaseForm.default_renderer` returns the
class, not an instance: Django instantiates it for every form, and the engine is a `cached_property` of that
instance. So every form built a new template engine (reading the installed template tag libraries) and compiled its
templates again on every request, several milliseconds per page that shows a form. The engine does not depend on the
instance: it is built once per process and shared, so a form template is compiled once, like Django's own renderer.
The templates and their lookup order are unchanged, so is the HTML.
"""

from functools import cache

from dsfr.forms import DsfrDjangoTemplates

_moteur_par_instance = DsfrDjangoTemplates.engine  # the package's cached_property, kept to build the engine


@cache
def _moteur(classe: type):
    return _moteur_par_instance.func(classe())


def _moteur_partage(renderer):
    return _moteur(type(renderer))


def partager_le_moteur_dsfr() -> None:
    """Called once from the app's `ready()`."""
    if isinstance(DsfrDjangoTemplates.__dict__.get("engine"), property):
        return
    DsfrDjangoTemplates.engine = property(_moteur_partage)
