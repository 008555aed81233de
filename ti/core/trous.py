"""Signed-in content kept for its reader (`ti.core.cache.pour_le_lecteur`), with holes for what every answer must
carry new: the CSRF token of its forms and the one-time token of a creation form (`{% jeton_envoi %}`). Rendered
once with a mark in their place, the content is filled at each answer: a form of a kept page posts as one of a page
rendered afresh, and two tabs of the same page never share a one-time token."""

import re

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from ti.core.envois import nouveau_jeton

# Marks no rendered text can hold: everything a user wrote is escaped, and `<` with it.
TROU_CSRF = mark_safe("<!--ti:csrf-->")
TROU_JETON = mark_safe("<!--ti:jeton-->")
AVEC_TROUS = "ti_avec_trous"  # in a template's context: `{% jeton_envoi %}` writes its mark
_JETONS = re.compile(re.escape(TROU_JETON))


def contexte_a_trous() -> dict:
    """What a template rendered to be kept receives: `{% csrf_token %}` and `{% jeton_envoi %}` write their marks."""
    return {"csrf_token": TROU_CSRF, AVEC_TROUS: True}


def remplir(contenu: str, request) -> SafeString:
    """The kept content with this answer's tokens: the session's CSRF token, a new one-time token per form."""
    contenu = contenu.replace(TROU_CSRF, get_token(request))
    return mark_safe(_JETONS.sub(lambda _: nouveau_jeton(), contenu))
