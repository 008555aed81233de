"""The home page: the programme's key figures, computed by the database then cached, and the commune search."""

import pytest
from django.urls import reverse

from tests.territoires.test_pages_donnees import nombre_de_requetes, programme_exemple, territoires_en_nombre, texte
from ti.pilotage.selectors import chiffres_cles

URL = reverse("accueil")


@pytest.fixture
def programme(db):
    return programme_exemple()


def test_les_chiffres_cles_comptent_par_phase_et_sans_double_compte(programme):
    # Châteauroux also joins Ardèche Drôme (phase 1): it counts in both phases, once in the total.
    programme.ardeche_drome.perimetre.create(commune=programme.chateauroux, code_source="36044")

    chiffres = chiffres_cles()

    temps_1, temps_2 = chiffres["phases"]
    assert temps_1 == {
        "phase": 1,
        "libelle": "Temps I (2018-2022)",
        "territoires": 2,
        "communes": 3,  # Annonay, Pointe-à-Pitre, Châteauroux
        "population": 16500 + 15000 + 43000,
        "epci": 3,
        "departements": 3,
        "regions": 3,
    }
    assert (temps_2["territoires"], temps_2["communes"], temps_2["population"], temps_2["regions"]) == (1, 2, 50500, 1)
    assert chiffres["territoires"] == 3
    assert (chiffres["communes"], chiffres["population"]) == (4, 16500 + 15000 + 43000 + 7500)
    assert (chiffres["epci"], chiffres["departements"], chiffres["regions"]) == (3, 3, 3)


def test_l_accueil_montre_les_chiffres_la_recherche_de_commune_et_les_liens(client, programme):
    reponse = client.get(URL)

    html = texte(reponse)
    assert reponse.status_code == 200
    assert html.count("<h1") == 1
    assert "Ma commune est-elle dans un Territoire d’industrie ?" in html
    assert f'action="{reverse("territoires:commune")}" role="search"' in html
    assert (
        '<label class="fr-label" for="recherche-commune">Nom, code postal ou code INSEE de la commune</label>' in html
    )
    assert '<span class="ti-chiffre ti-bloc">3</span> territoires d’industrie' in html
    assert '<span class="ti-chiffre ti-bloc">82\xa0000</span> habitants couverts' in html
    assert "<caption>Chiffres clés par phase du programme" in html
    assert '<th scope="row">Population couverte</th><td class="fr-cell--right">31\xa0500</td>' in html
    assert f'href="{reverse("territoires:liste")}"' in html
    assert (
        'href="/territoires/regions/24/">Centre-Val de Loire</a> <span class="fr-text--sm">(1 territoire)</span>'
        in html
    )


def test_l_accueil_d_une_plateforme_vide_affiche_des_zeros(client, db):
    reponse = client.get(URL)

    assert reponse.status_code == 200
    assert '<span class="ti-chiffre ti-bloc">0</span> territoires d’industrie' in texte(reponse)


def test_la_recherche_de_l_accueil_mene_a_la_page_de_la_commune(client, programme):
    reponse = client.get(reverse("territoires:commune"), {"q": "annonay"})

    assert 'href="/territoires/ti1-8401/">Ardèche Drôme</a>' in texte(reponse)


def test_l_accueil_fait_le_meme_nombre_de_requetes_pour_3_ou_30_territoires(
    client, programme, django_assert_max_num_queries
):
    peu = nombre_de_requetes(client, URL)
    territoires_en_nombre(27, departement=programme.indre)
    beaucoup = nombre_de_requetes(client, URL)

    assert peu == beaucoup
    territoires_en_nombre(1, departement=programme.indre, debut=27)  # a write: the figures are computed again
    # the territories per phase, 3 perimeters, the régions, the continuity, the chefs de projet sentence
    with django_assert_max_num_queries(7):
        client.get(URL)
    with django_assert_max_num_queries(0):  # then from the cache, for every visitor
        client.get(URL)
