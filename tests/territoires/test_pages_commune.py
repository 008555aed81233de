"""« Ma commune est-elle dans un Territoire d'industrie ? »: by name, INSEE code, postal code, commune déléguée."""

import pytest
from django.urls import reverse

from ti.referentiel.models import CommuneRattachee

from .test_pages_donnees import communes_en_nombre, nombre_de_requetes, programme_exemple, texte

URL = reverse("territoires:commune")


@pytest.fixture
def programme(db):
    return programme_exemple()


def communes_trouvees(reponse) -> list[str]:
    return [trouvee.commune.nom for trouvee in reponse.context["recherche"].resultats]


def test_sans_recherche_la_page_propose_le_formulaire(client, programme):
    reponse = client.get(URL)

    html = texte(reponse)
    assert reponse.status_code == 200
    assert html.count("<h1") == 1
    assert "Ma commune est-elle dans un Territoire d’industrie ?" in html
    assert '<label for="id_q" class="fr-label">' in html
    assert reponse.context["recherche"] is None


@pytest.mark.parametrize("saisie", ["chateauroux", "Châteauroux", "  CHATEAUROUX ", "36044", "36000"])
def test_une_commune_se_trouve_par_son_nom_sans_accent_son_code_insee_ou_son_code_postal(client, programme, saisie):
    reponse = client.get(URL, {"q": saisie})

    assert communes_trouvees(reponse) == ["Châteauroux"]
    html = texte(reponse)
    assert "Oui : Châteauroux fait partie du Territoire d’industrie « Châteauroux Métropole »." in html
    assert 'href="/territoires/ti2-2406/">Châteauroux Métropole</a>' in html
    assert "Code INSEE 36044" in html and "code postal 36000" in html


def test_une_commune_hors_programme_le_dit_clairement(client, programme):
    reponse = client.get(URL, {"q": "Levroux"})

    html = texte(reponse)
    assert "Non : Levroux n’appartient à aucun Territoire d’industrie." in html
    assert "N’appartient à aucun Territoire d’industrie" in html


def test_les_noms_qui_commencent_par_la_saisie_viennent_avant_ceux_qui_la_contiennent(client, programme):
    communes_en_nombre(1, departement=programme.indre, nom="Neuvy-Levroux")

    reponse = client.get(URL, {"q": "levroux"})

    assert communes_trouvees(reponse) == ["Levroux", "Neuvy-Levroux 0"]
    assert "2 communes." in reponse.content.decode()


def test_une_commune_deleguee_mene_a_son_chef_lieu(client, programme):
    par_code = client.get(URL, {"q": "36999"})
    par_nom = client.get(URL, {"q": "vieux-bourg-sur-indre"})

    for reponse in (par_code, par_nom):
        assert communes_trouvees(reponse) == ["Déols"]
        html = texte(reponse)
        assert "Vieux-Bourg-sur-Indre (36999, commune déléguée) fait partie de cette commune." in html
        assert "Oui : Déols fait partie du Territoire d’industrie « Châteauroux Métropole »." in html


def test_un_arrondissement_partageant_le_code_de_son_chef_lieu_ne_fait_pas_doublon(client, programme):
    CommuneRattachee.objects.create(
        code="36044", type=CommuneRattachee.Type.DELEGUEE, nom="Châteauroux", chef_lieu=programme.chateauroux
    )

    reponse = client.get(URL, {"q": "36044"})

    assert communes_trouvees(reponse) == ["Châteauroux"]
    assert reponse.context["recherche"].resultats[0].rattachee is None


def test_une_commune_de_plusieurs_territoires_les_liste_tous(client, programme):
    programme.ardeche_drome.perimetre.create(commune=programme.chateauroux, code_source="36044")

    reponse = client.get(URL, {"q": "36044"})

    html = texte(reponse)
    assert "Oui : Châteauroux fait partie de 2 Territoires d’industrie." in html
    assert "Ardèche Drôme" in html and "Châteauroux Métropole" in html


def test_une_commune_inconnue_donne_un_message_utile(client, programme):
    reponse = client.get(URL, {"q": "Trifouilly-les-Oies"})

    assert reponse.status_code == 200
    assert "Aucune commune ne correspond à « Trifouilly-les-Oies »." in reponse.content.decode()


@pytest.mark.parametrize(
    ("saisie", "message"),
    [("", "Saisissez le nom, le code postal ou le code INSEE d’une commune."), ("a", "Saisissez au moins deux")],
)
def test_une_saisie_trop_courte_est_refusee_en_francais(client, programme, saisie, message):
    reponse = client.get(URL, {"q": saisie})

    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert reponse.context["recherche"] is None


def test_les_resultats_sont_limites_a_vingt_et_le_disent(client, programme):
    communes_en_nombre(25, departement=programme.indre)

    reponse = client.get(URL, {"q": "saint exemple"})

    assert len(communes_trouvees(reponse)) == 20
    assert reponse.context["recherche"].tronquee
    assert "précisez votre recherche" in reponse.content.decode()


def test_la_recherche_fait_le_meme_nombre_de_requetes_pour_3_ou_30_communes(
    client, programme, django_assert_max_num_queries
):
    from tests.factories import TerritoireFactory

    communes = communes_en_nombre(3, departement=programme.indre)
    TerritoireFactory(code="9100", communes=communes)
    peu = nombre_de_requetes(client, URL + "?q=saint+exemple")
    autres = communes_en_nombre(27, departement=programme.indre, debut=3)
    TerritoireFactory(code="9101", communes=autres)
    TerritoireFactory(code="9102", communes=autres[:10])
    beaucoup = nombre_de_requetes(client, URL + "?q=saint+exemple")

    assert peu == beaucoup
    with django_assert_max_num_queries(3):
        client.get(URL, {"q": "36999"})
