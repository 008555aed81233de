"""French numbers, amounts and dates written by Python, the same as the pages show them."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from ti.core.formats import date_fr, euros, nombre


def test_un_montant_s_ecrit_avec_espaces_insecables_et_virgule():
    assert euros(Decimal("1250000.5")) == "1\xa0250\xa0000,50\xa0€"
    assert euros(Decimal("-42")) == "-42,00\xa0€"
    assert euros(0) == "0,00\xa0€"


def test_un_montant_inconnu_s_ecrit_comme_demande():
    assert euros(None) == "—"
    assert euros("") == "—"
    assert euros(None, vide="") == ""


def test_python_ecrit_les_montants_comme_les_pages():
    with translation.override("fr"):
        page = Template('{{ m|floatformat:"2g" }}').render(Context({"m": Decimal("1250000.5")}))
    assert f"{page}\xa0€" == euros(Decimal("1250000.5"))


def test_un_nombre_entier_ou_decimal():
    assert nombre(1234567) == "1\xa0234\xa0567"
    assert nombre(Decimal("3.14159"), 2) == "3,14"


def test_une_date_et_un_moment_en_heure_locale(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert date_fr(date(2025, 4, 5)) == "05/04/2025"
    assert date_fr(datetime(2025, 4, 14, 23, 30, tzinfo=UTC)) == "15/04/2025"
    assert date_fr(None) == ""
