"""`{% load chiffres_projets %}`: whether to offer the link to a région's project figures; a linked count; the
figures of a row of the per-territory and per-région tables."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from ti.projets import affichage
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


@register.simple_tag
def cellules_chiffrees(ligne) -> SafeString:
    """`{% cellules_chiffrees ligne %}`: the six figures of a row (`ligne` from `par_territoire` or `par_region`), in
    the order of `chiffres_entetes.html`. A tag for the same reason as `nombre_de_fiches`: an included template per
    row of seventy cost more than the rest of the table."""
    part = "—" if ligne.part_securisee is None else format_html("{}&nbsp;%", floatformat(ligne.part_securisee, 1))
    cellules = (
        nombre_de_fiches(ligne.nb_fiches, getattr(ligne, "lien", "")),
        format_html("{}&nbsp;€", affichage.montant(ligne.budget, 0)),
        format_html("{}&nbsp;€", affichage.montant(ligne.acquis, 0)),
        part,
        affichage.nombre(ligne.emplois_crees),
        affichage.nombre(ligne.emplois_maintenus),
    )
    return format_html_join("", '<td class="fr-cell--right">{}</td>', ((cellule,) for cellule in cellules))
