"""`{% jeton_envoi %}`: the one-time token of a creation form (see ti/core/envois.py), inside its <form>."""

from django import template
from django.utils.html import format_html

from ti.core.envois import CHAMP, nouveau_jeton

register = template.Library()


@register.simple_tag
def jeton_envoi():
    return format_html('<input type="hidden" name="{}" value="{}">', CHAMP, nouveau_jeton())
