"""`{% load chiffres_projets %}`: whether to offer the link to a région's project figures; a linked count."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from ti.projets.selectors_chiffres import voit_les_chiffres_de_la_region

register = template.Library()


@register.filter
def voit_les_chiffres_de(user, region) -> bool:
    """`{% if user|voit_les_chiffres_de:region %}`: the national team, and the région's own agents."""
    return user.is_authenticated and voit_les_chiffres_de_la_region(user, region.code)


@register.simple_tag
def nombre_de_fiches(nombre: int, lien: str = "") -> SafeString:
    """`{% nombre_de_fiches n lien %}`: a number of fiches-action, linked to the matching search when it has one.

    A tag rather than an included template: it fills every cell of the figures' tables, where an `{% include %}`
    per cell cost more than the rest of the page."""
    if lien and nombre:
        return format_html(
            '<a href="{}">{}<span class="fr-sr-only"> fiches-action : voir la liste</span></a>', lien, intcomma(nombre)
        )
    return conditional_escape(intcomma(nombre))
