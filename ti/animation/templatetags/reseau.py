"""Small pieces of the network shown on other pages: an event's resources, the national board's summary. Each reads
through the permission layer, in one or three queries."""

from django import template

from ti.animation.selectors_chiffres import portee, resume
from ti.animation.selectors_ressources import ressources_de_l_evenement
from ti.comptes import permissions

register = template.Library()


@register.inclusion_tag("animation/ressources/_de_l_evenement.html", takes_context=True)
def ressources_evenement(context, evenement):
    return {"ressources": ressources_de_l_evenement(context["request"].user, evenement)}


@register.inclusion_tag("animation/_resume_reseau.html", takes_context=True)
def resume_du_reseau(context):
    user = context["request"].user
    if not permissions.peut(user, "voir_chiffres_reseau"):
        return {"resume": None}
    return {"resume": resume(user, portee(user))}


@register.simple_tag(takes_context=True)
def voit_chiffres_reseau(context) -> bool:
    return permissions.peut(context["request"].user, "voir_chiffres_reseau")
