"""`{% load chiffres_projets %}`: whether to offer the link to a région's project figures."""

from django import template

from ti.projets.selectors_chiffres import voit_les_chiffres_de_la_region

register = template.Library()


@register.filter
def voit_les_chiffres_de(user, region) -> bool:
    """`{% if user|voit_les_chiffres_de:region %}`: the national team, and the région's own agents."""
    return user.is_authenticated and voit_les_chiffres_de_la_region(user, region.code)
