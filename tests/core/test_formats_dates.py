from datetime import date, datetime
from zoneinfo import ZoneInfo

from ti.core.formats import date_longue, heure


def test_le_premier_du_mois_s_ecrit_1er():
    assert date_longue(date(2024, 3, 1)) == "1er mars 2024"
    assert date_longue(date(2024, 3, 2)) == "2 mars 2024"


def test_jour_de_la_semaine_et_heure_de_paris():
    minuit_utc = datetime(2024, 2, 29, 23, 30, tzinfo=ZoneInfo("UTC"))  # already 1 March in Paris
    assert date_longue(minuit_utc, jour_de_la_semaine=True) == "vendredi 1er mars 2024"
    assert heure(minuit_utc) == "0 h 30"
