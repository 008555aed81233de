from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duree(delai: timedelta | None) -> str:
    """A lockout delay in words: « 30 minutes », « 1 heure », « 1 heure et 30 minutes »."""
    if not delai:
        return ""
    minutes = round(delai.total_seconds() / 60)
    heures, minutes = divmod(minutes, 60)
    morceaux = []
    if heures:
        morceaux.append(f"{heures} heure{'s' if heures > 1 else ''}")
    if minutes or not heures:
        morceaux.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return " et ".join(morceaux)
