"""Dates and times written the French way in documents: « vendredi 1er mars 2024 », « 10 h 05 » (heure de Paris).

Django's `date` filter writes « 1 mars »; the French writing of the first day of a month is « 1er »."""

from datetime import date, datetime

from django.utils import formats, timezone


def date_longue(valeur: date | datetime, *, jour_de_la_semaine: bool = False) -> str:
    if isinstance(valeur, datetime):
        valeur = timezone.localtime(valeur) if timezone.is_aware(valeur) else valeur
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    texte = f"{jour} {formats.date_format(valeur, 'F Y')}"
    return f"{formats.date_format(valeur, 'l')} {texte}" if jour_de_la_semaine else texte


def heure(valeur: datetime) -> str:
    valeur = timezone.localtime(valeur)
    return f"{valeur.hour} h {valeur.minute:02d}"
