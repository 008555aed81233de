"""Dates written the French way in every template (a builtin: no `{% load %}` needed, config/settings.py).

Django's `date` filter writes « 1 mars 2024 à 10:05 »; these write « 1er mars 2024 à 10 h 05 » through ti/core/formats.
`{{ valeur|date_longue }}`, `{{ valeur|date_longue:"jour" }}` (« vendredi 1er mars 2024 »), `{{ moment|date_heure }}`.
"""

from django import template

from ti.core import formats

register = template.Library()


@register.filter
def date_longue(valeur, option: str = "") -> str:
    if not valeur:
        return ""
    return formats.date_longue(valeur, jour_de_la_semaine=option == "jour")


@register.filter
def date_heure(valeur, option: str = "") -> str:
    """« 1er mars 2024 à 10 h 05 »; a date without time reads as `date_longue`."""
    if not valeur:
        return ""
    if not hasattr(valeur, "hour"):
        return date_longue(valeur, option)
    return f"{date_longue(valeur, option)} à {formats.heure(valeur)}"
