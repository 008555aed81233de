"""GET /api/v1/communes/{code_insee}/territoires: « ma commune est-elle dans un territoire d'industrie ? »."""

import pytest

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory
from ti.referentiel.models import Commune, CommuneRattachee
from ti.territoires.models import TerritoireQuerySet


def url(code: str) -> str:
    return f"/api/v1/communes/{code}/territoires"


def test_une_commune_du_perimetre_donne_son_territoire(client, programme):
    reponse = client.get(url("45208"))

    assert reponse.status_code == 200
    assert "public" in reponse["Cache-Control"]
    corps = reponse.json()
    assert corps["code_demande"] == "45208"
    assert corps["resolu_via_chef_lieu"] is False
    assert corps["commune_rattachee"] is None
    assert corps["commune"] == {
        "code": "45208",
        "nom": "Montargis",
        "population": 14000,
        "departement": {"code": "45", "nom": "Loiret", "region": "24"},
        "region": {"code": "24", "nom": "Centre-Val de Loire"},
        "epci": {
            "siren": "200067759",
            "nom": "CA Montargoise et Rives du Loing",
            "nature": "CA",
            "nature_libelle": "Communauté d’agglomération",
            "population": 61000,
        },
    }
    assert [t["identifiant"] for t in corps["territoires"]] == ["ti2-2401"]
    assert corps["territoires"][0]["url_api"] == "http://testserver/api/v1/territoires/ti2-2401"


def test_une_commune_deleguee_est_resolue_par_son_chef_lieu(client, programme):
    corps = client.get(url("45109")).json()  # Coudray, commune déléguée du Malesherbois

    assert corps["code_demande"] == "45109"
    assert corps["resolu_via_chef_lieu"] is True
    assert corps["commune"]["code"] == "45191"
    assert corps["commune"]["nom"] == "Le Malesherbois"
    assert corps["commune_rattachee"] == {
        "code": "45109",
        "nom": "Coudray",
        "type": "commune-deleguee",
        "type_libelle": "Commune déléguée",
    }
    assert [t["nom"] for t in corps["territoires"]] == ["Pithiverais"]


def test_un_arrondissement_municipal_est_resolu_par_sa_commune(client, db):
    paris_dep = DepartementFactory(code="75", nom="Paris", region=RegionFactory(code="11", nom="Île-de-France"))
    paris = CommuneFactory(code="75056", nom="Paris", departement=paris_dep, population=2100000)
    CommuneRattachee.objects.create(
        code="75112", nom="Paris 12e Arrondissement", type=CommuneRattachee.Type.ARRONDISSEMENT, chef_lieu=paris
    )

    corps = client.get(url("75112")).json()

    assert (corps["commune"]["code"], corps["resolu_via_chef_lieu"]) == ("75056", True)
    assert corps["commune_rattachee"]["type"] == "arrondissement-municipal"
    assert corps["territoires"] == []  # a commune outside every territory: an empty list, not an error


def test_le_code_d_une_commune_actuelle_prime_sur_sa_commune_deleguee_homonyme(client, programme):
    """The chef-lieu's own commune déléguée bears the chef-lieu's code: that code is the commune itself."""
    malesherbois = Commune.objects.get(code="45191")
    CommuneRattachee.objects.create(
        code="45191", nom="Malesherbes", type=CommuneRattachee.Type.DELEGUEE, chef_lieu=malesherbois
    )

    corps = client.get(url("45191")).json()

    assert corps["resolu_via_chef_lieu"] is False
    assert corps["commune_rattachee"] is None


def test_un_code_de_commune_deleguee_ailleurs_qu_a_son_chef_lieu_mene_au_chef_lieu(client, programme):
    """The référentiel's rule (`resoudre_communes`): a commune row kept after a merger does not hide its chef-lieu."""
    loiret = Commune.objects.get(code="45191").departement
    CommuneFactory(code="45109", nom="Coudray", departement=loiret)

    corps = client.get(url("45109")).json()

    assert (corps["commune"]["code"], corps["resolu_via_chef_lieu"]) == ("45191", True)
    assert [t["nom"] for t in corps["territoires"]] == ["Pithiverais"]


def test_une_commune_de_plusieurs_territoires_les_donne_tous(client, programme):
    TerritoireFactory(phase=1, code="2499", nom="Agglomération montargoise", communes=[Commune.objects.get(pk="45208")])

    corps = client.get(url("45208")).json()

    assert [t["nom"] for t in corps["territoires"]] == ["Agglomération montargoise", "Est du Loiret"]


def test_un_code_corse_s_ecrit_en_minuscules_ou_majuscules(client, db):
    corse_du_sud = DepartementFactory(code="2A", nom="Corse-du-Sud", region=RegionFactory(code="94", nom="Corse"))
    CommuneFactory(code="2A004", nom="Ajaccio", departement=corse_du_sud)

    reponse = client.get(url("2a004"))

    assert reponse.status_code == 200
    assert reponse.json()["commune"]["nom"] == "Ajaccio"


@pytest.mark.parametrize("code", ["99999", "2B999"])
def test_un_code_bien_forme_mais_inconnu_est_une_erreur_404(client, programme, code):
    reponse = client.get(url(code))

    assert reponse.status_code == 404
    assert reponse.json() == {"detail": f"Commune introuvable : {code}"}


@pytest.mark.parametrize("code", ["123", "452080", "4520A", "2C004", "abcde", "45 20"])
def test_un_code_mal_forme_est_une_erreur_400_en_francais(client, programme, code):
    reponse = client.get(url(code))

    assert reponse.status_code == 400
    corps = reponse.json()
    assert corps["detail"].startswith(f"Code INSEE mal formé : « {code} ».")
    assert "5 caractères" in corps["detail"]
    assert corps["erreurs"] == [{"parametre": "code_insee", "message": corps["detail"]}]


def test_les_territoires_de_la_commune_passent_par_la_couche_de_permission(client, programme, monkeypatch):
    monkeypatch.setattr(TerritoireQuerySet, "visible_to", lambda self, user: self.none())

    assert client.get(url("45208")).json()["territoires"] == []


@pytest.mark.parametrize("nombre", [3, 30])
def test_les_territoires_d_une_commune_deleguee_en_requetes_bornees(client, db, django_assert_max_num_queries, nombre):
    indre = DepartementFactory(code="36", nom="Indre", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    chef_lieu = CommuneFactory(code="36044", nom="Châteauroux", departement=indre)
    CommuneRattachee.objects.create(
        code="36999", nom="Ancienne", type=CommuneRattachee.Type.ASSOCIEE, chef_lieu=chef_lieu
    )
    for i in range(nombre):
        TerritoireFactory(code=f"36{i:02d}", communes=[chef_lieu, CommuneFactory(code=f"36{i:03d}", departement=indre)])

    # resolution (communes, communes rattachées), the chef-lieu with its département, région and EPCI,
    # the commune rattachée, territories, their régions
    with django_assert_max_num_queries(6):
        reponse = client.get(url("36999"))

    assert len(reponse.json()["territoires"]) == nombre
