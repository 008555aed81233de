"""Small pieces of the network shown on other pages: an event's resources, the national board's summary (cached
like the other figures). Each reads through the permission layer, in one or four queries."""

from django import template

from ti.animation.selectors_chiffres import portee, resume
from ti.animation.selectors_ressources import ressources_de_l_evenement
from ti.comptes import permissions
from ti.core.cache import en_cache

register = template.Library()


@register.inclusion_tag("animation/ressources/_de_l_evenement.html", takes_context=True)
def ressources_evenement(context, evenement):
    return {"ressources": ressources_de_l_evenement(context["request"].user, evenement)}


@register.inclusion_tag("animation/_resume_reseau.html", takes_context=True)
def resume_du_reseau(context):
    user = context["request"].user
    if not permissions.peut(user, "voir_chiffres_reseau"):
        return {"resume": None}
    regions = portee(user)
    # A figure like the others: kept until a write to what it counts (ti/core/invalidation.py), per scope.
    cle = "reseau:resume:" + ("national" if regions is None else ",".join(sorted(regions)))
    return {"resume": en_cache(cle, lambda: resume(user, regions))}


@register.simple_tag(takes_context=True)
def voit_chiffres_reseau(context) -> bool:
    return permissions.peut(context["request"].user, "voir_chiffres_reseau")
