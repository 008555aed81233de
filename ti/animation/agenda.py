"""The iCalendar file of an event (RFC 5545), written by the `icalendar` library (decision 0047)."""

from django.utils import timezone
from icalendar import Calendar, Event

DOMAINE_UID = "territoires-industrie.anct.gouv.fr"


def ics(evenement, url: str) -> bytes:
    return calendrier([(evenement, url)])


def calendrier(evenements_et_urls) -> bytes:
    """One calendar of the given (event, absolute url) pairs."""
    calendrier = Calendar()
    calendrier.add("prodid", "-//ANCT//Territoires d’industrie//FR")
    calendrier.add("version", "2.0")
    calendrier.add("method", "PUBLISH")
    calendrier.add("x-wr-calname", "Territoires d’industrie")
    for evenement, url in evenements_et_urls:
        calendrier.add_component(_vevent(evenement, url))
    return calendrier.to_ical()


def _vevent(evenement, url: str) -> Event:
    vevent = Event()
    vevent.add("uid", f"evenement-{evenement.pk}@{DOMAINE_UID}")  # stable: an update replaces the entry
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", evenement.debut)
    vevent.add("dtend", evenement.fin)
    annule = "Annulé — " if evenement.annule else ""
    vevent.add("summary", f"{annule}{evenement.get_type_display()} : {evenement.titre}")
    vevent.add("description", "\n\n".join(filter(None, [evenement.description, evenement.lien, url])))
    vevent.add("location", evenement.lieu or evenement.lien)
    vevent.add("url", url)
    if evenement.annule:  # agendas that read the file again strike the entry out
        vevent.add("status", "CANCELLED")
    return vevent
