"""A région's page: its territories by phase, its départements, its figures computed by the database."""

import pytest
from django.urls import reverse

from ti.core.cache import invalider_pages
from ti.territoires.models import Phase
from ti.territoires.selectors import chiffres_region

from .test_pages_donnees import communes_en_nombre, nombre_de_requetes, programme_exemple, territoires_en_nombre, texte


@pytest.fixture
def programme(db):
    return programme_exemple()


def url_de(region) -> str:
    return reverse("territoires:region", args=[region.code])


def test_la_page_region_presente_ses_territoires_ses_departements_et_ses_chiffres(client, programme):
    territoires_en_nombre(2, departement=programme.indre, phase=Phase.TEMPS_1)

    reponse = client.get(url_de(programme.centre))

    html = texte(reponse)
    assert reponse.status_code == 200
    assert html.count("<h1") == 1
    assert "<h1>Centre-Val de Loire</h1>" in html
    assert "<caption>Temps I (2018-2022) : 2 territoires</caption>" in html
    assert "<caption>Temps II (2023-2027) : 1 territoire</caption>" in html
    assert 'href="/territoires/ti2-2406/">Châteauroux Métropole</a>' in html
    assert "Ardèche Drôme" not in html
    assert 'href="/territoires/?departement=36">Indre</a>' in html
    assert '<th scope="row">Territoires</th><td class="fr-cell--right">2</td><td class="fr-cell--right">1</td>' in html
    assert 'data-code="36" class="ti-carte__actif"' in html


def test_les_chiffres_de_la_region_ne_comptent_qu_une_fois_une_commune_et_restent_dans_la_region(programme):
    # Ardèche Drôme also takes Châteauroux (already in Châteauroux Métropole): it now crosses two régions.
    ardeche_drome = programme.ardeche_drome
    ardeche_drome.perimetre.create(commune=programme.chateauroux, code_source="36044")
    ardeche_drome.regions.add(programme.centre)

    chiffres = chiffres_region(programme.centre)

    assert chiffres["territoires"] == 2
    assert (chiffres["communes"], chiffres["epci"], chiffres["population"]) == (2, 1, 50500)  # not Annonay
    temps_1, temps_2 = chiffres["phases"]
    assert (temps_1["territoires"], temps_1["communes"], temps_1["population"]) == (1, 1, 43000)
    assert (temps_2["territoires"], temps_2["communes"], temps_2["population"]) == (1, 2, 50500)


def test_une_region_sans_territoire_le_dit(client, programme):
    from tests.factories import RegionFactory

    bretagne = RegionFactory(code="53", nom="Bretagne")

    html = texte(client.get(url_de(bretagne)))

    assert "Aucun Territoire d’industrie dans cette région pour l’instant." in html
    assert "<svg" not in html


def test_une_region_inconnue_est_introuvable(client, programme):
    assert client.get(reverse("territoires:region", args=["99"])).status_code == 404


def test_la_page_region_fait_le_meme_nombre_de_requetes_pour_3_ou_30_territoires(
    client, programme, django_assert_max_num_queries
):
    territoires_en_nombre(2, departement=programme.indre)
    peu = nombre_de_requetes(client, url_de(programme.centre))
    territoires_en_nombre(27, departement=programme.indre, debut=2)
    beaucoup = nombre_de_requetes(client, url_de(programme.centre))

    assert peu == beaucoup
    with django_assert_max_num_queries(8):
        client.get(url_de(programme.centre))


def test_les_chiffres_de_la_region_sont_gardes_en_cache_jusqu_a_un_changement_de_perimetre(client, programme):
    url = url_de(programme.centre)
    avant = nombre_de_requetes(client, url)
    invalider_pages()  # the whole page is kept too (decision 0060): rendered again, its figures from their cache
    assert nombre_de_requetes(client, url) == avant - 4  # the figures now come from the cache
    commune = communes_en_nombre(1, departement=programme.indre, debut=40)[0]

    programme.chateauroux_metropole.perimetre.create(commune=commune, code_source=commune.code)

    html = texte(client.get(url))
    assert '<th scope="row">Communes</th><td class="fr-cell--right">0</td><td class="fr-cell--right">3</td>' in html
