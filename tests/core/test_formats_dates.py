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


def test_une_valeur_du_journal_se_lit_a_la_francaise():
    from decimal import Decimal

    from ti.core.formats import valeur_lisible

    assert valeur_lisible("2024-03-01") == "01/03/2024"
    assert valeur_lisible("2024-02-29T23:30:00+00:00") == "01/03/2024 à 0 h 30"
    assert valeur_lisible("250000.00") == "250\xa0000,00"
    assert valeur_lisible(Decimal("1234.5")) == "1\xa0234,5"
    assert valeur_lisible(date(2024, 3, 1)) == "01/03/2024"
    # Codes and plain words are left as they are.
    assert valeur_lisible("73282932000074") == "73282932000074"
    assert valeur_lisible("ti2-2406") == "ti2-2406"
    assert valeur_lisible(12) == "12"


def test_les_filtres_des_gabarits_ecrivent_1er_et_l_heure():
    from django.template import engines

    gabarit = engines["django"].from_string("{{ d|date_longue }} · {{ m|date_heure }} · {{ m|date_heure:'jour' }}")
    moment = datetime(2024, 2, 29, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert gabarit.render({"d": date(2024, 3, 1), "m": moment}) == (
        "1er mars 2024 · 1er mars 2024 à 0 h 30 · vendredi 1er mars 2024 à 0 h 30"
    )
