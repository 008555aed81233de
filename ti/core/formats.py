"""Numbers, amounts, dates and times written the French way, in one place, for what Python writes itself: messages,
e-mails, documents, reports and CSV cells. The pages format through Django's localisation (`floatformat:"2g"`),
which gives the same text: no-break space between thousands, decimal comma, « € » after a no-break space. Django's
`date` filter writes « 1 mars »; the French writing of the first day of a month is « 1er » (`date_longue`)."""

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

ESPACE_INSECABLE = "\xa0"


def nombre(valeur: Decimal | int, decimales: int = 0) -> str:
    """1234567.5 → « 1 234 567,50 » with `decimales=2`; « 1 234 568 » with none."""
    texte = f"{valeur:,.{decimales}f}"
    return texte.replace(",", ESPACE_INSECABLE).replace(".", ",")


def euros(montant: Decimal | int | None, *, vide: str = "—") -> str:
    """« 250 000,00 € »; `vide` when the amount is unknown (a dash by default, an empty cell in a table)."""
    if montant is None or montant == "":
        return vide
    return f"{nombre(Decimal(montant), 2)}{ESPACE_INSECABLE}€"


def date_fr(valeur) -> str:
    """« 15/04/2025 »; a moment is first brought to local time, so that 23:30 UTC reads as the right day."""
    if valeur is None:
        return ""
    if hasattr(valeur, "astimezone"):
        valeur = timezone.localtime(valeur).date()
    return valeur.strftime("%d/%m/%Y")


MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre")  # fmt: skip
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")  # from Monday, as date.weekday()


def date_longue(valeur: date | datetime, *, jour_de_la_semaine: bool = False) -> str:
    """« 1er mars 2024 », « vendredi 1er mars 2024 »; a moment in local time (heure de Paris). The names from the
    tables above, as Django's French `date_format` writes them (the site speaks French only: settings.LANGUAGES),
    ten times cheaper: a list writes one per row."""
    if isinstance(valeur, datetime):
        valeur = timezone.localtime(valeur) if timezone.is_aware(valeur) else valeur
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    texte = f"{jour} {MOIS[valeur.month - 1]} {valeur.year:04d}"
    return f"{JOURS[valeur.weekday()]} {texte}" if jour_de_la_semaine else texte


def heure(valeur: datetime) -> str:
    """« 10 h 05 », in local time."""
    valeur = timezone.localtime(valeur)
    return f"{valeur.hour} h {valeur.minute:02d}"


_DATE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
_DECIMAL = re.compile(r"-?\d+\.\d+")


def valeur_lisible(valeur) -> str:
    """A value as the journal keeps it (ISO dates, amounts written « 250000.00 ») as a person reads it in a history:
    « 15/04/2025 », « 15/04/2025 à 10 h 05 », « 250 000,00 »; a dict or a list element by element (« clé : valeur »);
    anything else as its text."""
    if isinstance(valeur, datetime):
        valeur = timezone.make_aware(valeur) if timezone.is_naive(valeur) else valeur
        return f"{date_fr(valeur)} à {heure(valeur)}"
    if isinstance(valeur, date):
        return date_fr(valeur)
    if isinstance(valeur, Decimal | float):
        return nombre(Decimal(str(valeur)), max(0, -Decimal(str(valeur)).as_tuple().exponent))
    if isinstance(valeur, dict):
        return " ; ".join(f"{cle} : {valeur_lisible(v)}" for cle, v in valeur.items())
    if isinstance(valeur, list | tuple):
        return ", ".join(valeur_lisible(v) for v in valeur)
    if valeur is None:
        return "—"
    texte = str(valeur)
    if _DATE_ISO.fullmatch(texte):
        return date_fr(date.fromisoformat(texte))
    if _MOMENT_ISO.fullmatch(texte):
        return valeur_lisible(datetime.fromisoformat(texte.replace("Z", "+00:00")))
    if _DECIMAL.fullmatch(texte):
        return nombre(Decimal(texte), len(texte.split(".")[1]))
    return texte
