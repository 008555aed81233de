"""Temps I → Temps II lineage: computed from shared communes, shown on both territories' pages and on the home page."""

import pytest

from tests.factories import CommuneFactory, DepartementFactory, TerritoireFactory
from ti.territoires.filiation import continuite, recalculer_filiations
from ti.territoires.models import Filiation, Phase


@pytest.fixture
def deux_phases(cvl):
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    a, b, c, d = (
        CommuneFactory(code=f"45{i:03d}", departement=loiret, population=p) for i, p in enumerate([700, 200, 100, 50])
    )
    montargois = TerritoireFactory(phase=Phase.TEMPS_1, code="2404", nom="Montargois", communes=[a, b])
    TerritoireFactory(phase=Phase.TEMPS_1, code="2405", nom="Sans suite", communes=[d])
    est = TerritoireFactory(phase=Phase.TEMPS_2, code="2401", nom="Est du Loiret", communes=[a, c])
    TerritoireFactory(phase=Phase.TEMPS_2, code="2402", nom="Tout nouveau", communes=[c])
    recalculer_filiations()
    return montargois, est


def test_la_filiation_et_la_continuite(deux_phases):
    montargois, est = deux_phases

    filiation = Filiation.objects.get()
    assert (filiation.temps1, filiation.temps2, filiation.communes, filiation.population) == (montargois, est, 1, 700)
    assert (round(filiation.part_du_temps2, 3), round(filiation.part_du_temps1, 3)) == (0.875, 0.778)
    chiffres = continuite()
    assert (chiffres.temps2_heritiers, chiffres.temps2_nouveaux, chiffres.temps1_non_poursuivis) == (1, 1, 1)


def test_recalculer_remplace_les_anciennes_filiations(deux_phases):
    montargois, est = deux_phases
    est.perimetre.filter(commune_id="45000").delete()

    assert recalculer_filiations() == 0
    assert not Filiation.objects.exists()


def test_les_deux_pages_montrent_la_filiation(client, deux_phases, django_assert_max_num_queries):
    montargois, est = deux_phases

    # Read cold: the parts kept for every reader (with the status' history and the post's funding, shown to some),
    # the governance and the engineering missions.
    with django_assert_max_num_queries(13):
        page_temps2 = client.get(est.get_absolute_url()).content.decode()
    page_temps1 = client.get(montargois.get_absolute_url()).content.decode()

    assert (
        f'<a href="{montargois.get_absolute_url()}">Montargois</a> (Temps I) : 1 commune, 88 % de la population'
        in page_temps2
    )
    assert (
        f'<a href="{est.get_absolute_url()}">Est du Loiret</a> (Temps II) : 1 commune, 78 % de la population'
        in page_temps1
    )
    nouveau = client.get("/territoires/ti2-2402/").content.decode()
    assert "Nouveau dans le Temps II" in nouveau


def test_l_accueil_donne_la_continuite(client, deux_phases):
    html = client.get("/").content.decode()

    assert '<span class="ti-chiffre ti-bloc">1</span> territoire du Temps II poursuit au moins un territoire' in html
    assert '<span class="ti-chiffre ti-bloc">1</span> territoire nouveau dans le Temps II' in html
    assert '<span class="ti-chiffre ti-bloc">1</span> territoire du Temps I sans suite dans le Temps II' in html
