"""The suite's own guards (docs/decisions/0063): unknown template variables fail, the clock can be moved."""

import os
from datetime import date

import pytest
from django.template import engines
from django.utils import timezone

from tests.factories import DispositifFactory


def rendre(source: str, **contexte) -> str:
    return engines["django"].from_string(source).render(contexte)


def test_une_variable_inconnue_fait_echouer_le_rendu():
    with pytest.raises(AssertionError, match=r"Variable inconnue dans un gabarit : \{\{ dossier.intitule \}\}"):
        rendre("<p>{{ dossier.intitule }}</p>", dossier=object())


def test_une_variable_connue_s_affiche():
    assert rendre("<p>{{ nom }}</p>", nom="Montargis") == "<p>Montargis</p>"


def test_une_variable_facultative_annoncee_par_default_s_affiche_comme_en_production():
    assert rendre('<p>{{ inconnue|default:"—" }}</p>') == "<p>—</p>"
    assert rendre("<p>{% if inconnue %}{{ inconnue }}{% else %}rien{% endif %}</p>") == "<p>rien</p>"


def test_les_gabarits_du_dsfr_sont_toleres():
    """django-dsfr's templates print keys their callers may leave out (here a breadcrumb without `id`)."""
    html = engines["django"].get_template("dsfr/breadcrumb.html").render({"self": {"current": "Accueil"}})
    assert 'id=""' in html
    assert "Accueil" in html


def test_l_horloge_des_tests_est_celle_du_jour_voulu():
    """With TI_DATE_DU_JOUR the whole session runs on that day; without it, on the real day."""
    voulu = os.environ.get("TI_DATE_DU_JOUR")
    attendu = date.fromisoformat(voulu) if voulu else date.today()
    assert abs((timezone.localdate() - attendu).days) <= 1  # Paris's day, the machine's day


@pytest.mark.django_db
def test_le_dispositif_des_fabriques_est_ouvert_le_jour_ou_la_suite_tourne():
    """Fixed closing dates made 19 tests fail on the 1st of January 2031: the factories' dates follow the day."""
    dispositif = DispositifFactory()
    assert dispositif.ouverture <= timezone.localdate() <= dispositif.cloture
