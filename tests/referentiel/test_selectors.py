"""Resolving INSEE codes and searching communes, on a few communes made for the purpose."""

import dataclasses

import pytest

from ti.referentiel.models import CommuneRattachee
from ti.referentiel.selectors import Resolution, rechercher_communes, resoudre_communes

from ..factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loiret(db):
    return DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24", nom="Centre-Val de Loire"))


@pytest.fixture
def communes(loiret):
    corse = DepartementFactory(code="2A", nom="Corse-du-Sud", region=RegionFactory(code="94", nom="Corse"))
    return {
        "montargis": CommuneFactory(code="45208", nom="Montargis", codes_postaux="45200", population=14826),
        "amilly": CommuneFactory(code="45004", nom="Amilly", codes_postaux="45200", population=13500),
        "chalette": CommuneFactory(code="45068", nom="Châlette-sur-Loing", codes_postaux="45120", population=12700),
        "malesherbois": CommuneFactory(
            code="45191", nom="Le Malesherbois", codes_postaux="45300 45330", population=8300
        ),
        "ajaccio": CommuneFactory(code="2A004", nom="Ajaccio", departement=corse, codes_postaux="20000 20090"),
        "saint_etienne": CommuneFactory(code="42218", nom="Saint-Étienne", codes_postaux="42000", population=170000),
        "saint_etienne_rouvray": CommuneFactory(code="76575", nom="Saint-Étienne-du-Rouvray", population=28000),
        "grand_saint_etienne": CommuneFactory(code="45900", nom="Le Grand-Saint-Étienne", population=500000),
    }


@pytest.fixture
def rattachees(communes):
    malesherbois = communes["malesherbois"]
    return [
        CommuneRattachee.objects.create(
            code="45191", type=CommuneRattachee.Type.DELEGUEE, nom="Malesherbes", chef_lieu=malesherbois
        ),
        CommuneRattachee.objects.create(
            code="45028", type=CommuneRattachee.Type.DELEGUEE, nom="Coudray", chef_lieu=malesherbois
        ),
        CommuneRattachee.objects.create(
            code="45099", type=CommuneRattachee.Type.ASSOCIEE, nom="Ancienne associée", chef_lieu=communes["amilly"]
        ),
    ]


def test_une_commune_actuelle_se_resout_en_elle_meme(communes):
    assert resoudre_communes(["45208"]) == {"45208": Resolution("45208", communes["montargis"], via_chef_lieu=False)}


def test_une_commune_deleguee_se_resout_en_son_chef_lieu(rattachees, communes):
    resolution = resoudre_communes(["45028"])["45028"]

    assert resolution.commune == communes["malesherbois"]
    assert resolution.via_chef_lieu is True


def test_une_commune_associee_se_resout_en_son_chef_lieu(rattachees, communes):
    assert resoudre_communes(["45099"])["45099"] == Resolution("45099", communes["amilly"], via_chef_lieu=True)


def test_une_deleguee_de_meme_code_que_son_chef_lieu_n_est_pas_un_detour(rattachees, communes):
    assert resoudre_communes(["45191"])["45191"] == Resolution("45191", communes["malesherbois"], via_chef_lieu=False)


def test_un_code_inconnu_a_une_resolution_sans_commune(communes):
    resolution = resoudre_communes(["99999"])["99999"]

    assert resolution == Resolution("99999", None, via_chef_lieu=False)
    assert resolution.inconnue


def test_chaque_code_distinct_a_sa_resolution_sous_sa_forme_donnee(communes):
    resolutions = resoudre_communes(["45208", " 45208 ", "45004", "45004", "", "99999"])

    assert set(resolutions) == {"45208", " 45208 ", "45004", "", "99999"}
    assert resolutions[" 45208 "].commune == communes["montargis"]  # spaces are ignored for the lookup
    assert resolutions[""].inconnue


def test_aucun_code_aucune_requete(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert resoudre_communes([]) == {}


def test_la_resolution_est_figee(communes):
    resolution = resoudre_communes(["45208"])["45208"]

    with pytest.raises(dataclasses.FrozenInstanceError):
        resolution.commune = None


def test_la_resolution_tient_en_deux_requetes_quel_que_soit_le_nombre_de_codes(
    rattachees, django_assert_max_num_queries
):
    codes = [f"{departement:02d}{numero:03d}" for departement in range(1, 96) for numero in range(1, 400)]

    with django_assert_max_num_queries(2):
        resolutions = resoudre_communes([*codes, "45208", "45028"])

    assert len(resolutions) == len(codes)  # 45208 and 45028 are among the generated codes
    assert sum(1 for r in resolutions.values() if r.via_chef_lieu) == 2  # 45028 and 45099
    assert resolutions["45208"].commune.nom == "Montargis"


# — rechercher_communes —


def noms(communes) -> list[str]:
    return [commune.nom for commune in communes]


def test_la_recherche_ignore_accents_casse_et_tirets(communes):
    assert noms(rechercher_communes("CHALETTE SUR")) == ["Châlette-sur-Loing"]
    assert noms(rechercher_communes("châlette-sur-loing")) == ["Châlette-sur-Loing"]


def test_le_nom_exact_puis_les_debuts_de_nom_puis_le_reste(communes):
    assert noms(rechercher_communes("saint etienne")) == [
        "Saint-Étienne",  # the exact name, first
        "Saint-Étienne-du-Rouvray",  # starts with the text
        "Le Grand-Saint-Étienne",  # contains it, although the most populated
    ]


def test_la_recherche_est_limitee(communes):
    assert len(rechercher_communes("e", limite=3)) == 3


def test_une_recherche_vide_ne_renvoie_rien(communes, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rechercher_communes("  -  ") == []


def test_un_code_insee_est_trouve_en_premier(communes):
    assert noms(rechercher_communes("45208")) == ["Montargis"]
    assert noms(rechercher_communes("4520"))[0] == "Montargis"


def test_un_code_postal_trouve_toutes_ses_communes(communes):
    assert noms(rechercher_communes("45200")) == ["Montargis", "Amilly"]
    assert noms(rechercher_communes("45330")) == ["Le Malesherbois"]  # the second postal code of the commune


def test_un_code_corse_est_reconnu_sans_souci_de_casse(communes):
    assert noms(rechercher_communes("2a004")) == ["Ajaccio"]
    assert noms(rechercher_communes("20090")) == ["Ajaccio"]


def test_la_recherche_tient_en_une_requete_et_porte_le_departement(communes, django_assert_num_queries):
    with django_assert_num_queries(1):
        resultats = rechercher_communes("montargis")
        assert resultats[0].departement.nom == "Loiret"
