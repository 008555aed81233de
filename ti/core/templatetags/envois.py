"""`{% jeton_envoi %}`: the one-time token of a creation form (see ti/core/envois.py), inside its <form>."""

from django import template
from django.utils.html import format_html

from ti.core.envois import CHAMP, nouveau_jeton
from ti.core.trous import AVEC_TROUS, TROU_JETON

register = template.Library()


@register.simple_tag(takes_context=True)
def jeton_envoi(context):
    # In content kept for its reader, a mark: each answer fills it with a new token (ti/core/trous.py).
    return format_html(
        '<input type="hidden" name="{}" value="{}">', CHAMP, TROU_JETON if context.get(AVEC_TROUS) else nouveau_jeton()
    )
