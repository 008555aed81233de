"""The phase and chef-de-projet badges, written in Python: they repeat on every row of the lists, where an
`{% include %}` per row costs more than the row itself."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ti.territoires.models import Phase, StatutChefProjet

register = template.Library()

CLASSES_DU_STATUT = {
    StatutChefProjet.EN_POSTE: "fr-badge--success",
    StatutChefProjet.RECRUTEMENT: "fr-badge--info",
    StatutChefProjet.FINANCEMENT: "fr-badge--warning",
}


@register.filter
def badge_phase(phase: int) -> SafeString:
    classe, libelle = (
        ("fr-badge--blue-cumulus", "Temps I") if phase == Phase.TEMPS_1 else ("fr-badge--green-emeraude", "Temps II")
    )
    return format_html('<p class="fr-badge fr-badge--sm {} fr-badge--no-icon">{}</p>', classe, libelle)


@register.filter
def badge_statut(territoire) -> SafeString:
    """The chef de projet's status; « Aucun » without colour."""
    return format_html(
        '<p class="fr-badge fr-badge--sm {}">{}</p>',
        CLASSES_DU_STATUT.get(territoire.chef_projet_statut, ""),
        territoire.get_chef_projet_statut_display(),
    )
