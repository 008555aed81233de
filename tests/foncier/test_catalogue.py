"""The public catalogue: filters read from the link, facets counted by the database, the map, a site's page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, TerritoireFactory
from ti.foncier import carte, selectors
from ti.foncier.models import Vague
from ti.territoires.models import Phase

from .conftest import SiteFactory

CATALOGUE = reverse("foncier:catalogue")


def noms(reponse) -> set[str]:
    return {site.nom for site in reponse.context["page_obj"]}


@pytest.fixture
def sites(site_cvl, territoire_bretagne):
    """Amilly: 25 ha, rail, at once (fixture site_cvl); Lorient: 12 ha, port, in 18 months; a small one in 6."""
    lorient = territoire_bretagne.communes.get()
    SiteFactory(
        commune=lorient,
        nom="Zone portuaire de Lorient",
        surface_brute=15,
        surface_utile=12,
        acces_portuaire=True,
        disponible_immediatement=False,
        disponible_le=date.today() + timedelta(days=540),
        puissance_mw=Decimal("40"),
        vague=Vague.PACK_REBOND,
        longitude=-3.37,
        latitude=47.75,
    )
    SiteFactory(
        commune=site_cvl.commune,
        nom="Petite zone de Montargis",
        surface_brute=5,
        surface_utile=4,
        disponible_immediatement=False,
        disponible_le=date.today() + timedelta(days=180),
    )


def test_vingt_hectares_et_le_rail(client, sites):
    reponse = client.get(CATALOGUE, {"surface_min": "20", "rail": "on"})

    assert reponse.status_code == 200
    assert noms(reponse) == {"Parc industriel d’Amilly"}


@pytest.mark.parametrize(
    ("filtres", "attendus"),
    [
        ({"port": "on"}, {"Zone portuaire de Lorient"}),
        ({"disponible_sous_mois": "12"}, {"Parc industriel d’Amilly", "Petite zone de Montargis"}),
        ({"disponible_sous_mois": "0"}, {"Parc industriel d’Amilly"}),
        ({"region": "53"}, {"Zone portuaire de Lorient"}),
        ({"surface_min": "5", "surface_max": "20"}, {"Zone portuaire de Lorient"}),
        ({"puissance_min": "10"}, {"Zone portuaire de Lorient"}),
        ({"vague": "pack_rebond"}, {"Zone portuaire de Lorient"}),
    ],
)
def test_chaque_filtre(client, sites, filtres, attendus):
    assert noms(client.get(CATALOGUE, filtres)) == attendus


def test_filtre_par_territoire_des_deux_phases(client, sites, montargis):
    temps1 = TerritoireFactory(phase=Phase.TEMPS_1, code="2401", nom="Montargis Temps I", communes=[montargis])

    reponse = client.get(CATALOGUE, {"territoire": temps1.identifiant})

    assert noms(reponse) == {"Parc industriel d’Amilly", "Petite zone de Montargis"}
    assert temps1.identifiant in dict(reponse.context["form"].fields["territoire"].choices)


def test_facettes_comptees(client, sites):
    facettes = client.get(CATALOGUE).context["facettes"]

    assert facettes["regions"] == [("53", "Bretagne", 1), ("24", "Centre-Val de Loire", 2)]
    assert facettes["acces"] == {"rail": 1, "port": 1, "immediat": 1}
    assert [(code, n) for code, _, n in facettes["vagues"]] == [("pack_rebond", 1), ("france_2030", 2)]


def test_critere_invalide_explique_en_francais(client, sites):
    reponse = client.get(CATALOGUE, {"surface_min": "30", "surface_max": "10", "region": "zz"})

    assert reponse.context["page_obj"] is None
    contenu = reponse.content.decode()
    assert "La surface minimale dépasse la surface maximale." in contenu
    assert "Un critère n’est pas valide" in contenu


def test_le_lien_de_la_recherche_se_partage(client, sites):
    reponse = client.get(CATALOGUE, {"surface_min": "20", "rail": "on"})

    assert 'href="/sites-cles-en-main/?surface_min=20&amp;rail=on"' in reponse.content.decode()


def test_catalogue_en_requetes_bornees(client, sites, django_assert_max_num_queries):
    for numero in range(30):
        SiteFactory(commune=CommuneFactory(departement=DepartementFactory(code="45")), nom=f"Site {numero}")
    with django_assert_max_num_queries(10):
        reponse = client.get(CATALOGUE)
    assert reponse.context["page_obj"].paginator.count == 33


def test_la_carte_place_les_sites_sans_service_exterieur(client, sites):
    contenu = client.get(CATALOGUE).content.decode()

    assert contenu.count('class="ti-carte__site"') == 3
    assert "<title>Parc industriel d’Amilly (" in contenu
    assert "openstreetmap" not in contenu.lower() and "leaflet" not in contenu.lower()
    assert "MapSVG" in contenu


@pytest.mark.parametrize(
    ("ville", "longitude", "latitude", "boite"),
    [  # the département's extent in the shipped drawing (ti/territoires/carte.py's outlines)
        ("Montargis (Loiret)", 2.733, 47.998, (278.0, 345.1, 176.1, 229.2)),
        ("Brest (Finistère)", -4.486, 48.390, (0.2, 74.7, 150.5, 212.1)),
        ("Strasbourg (Bas-Rhin)", 7.752, 48.573, (503.5, 557.0, 130.1, 190.0)),
        ("Ajaccio (Corse-du-Sud)", 8.737, 41.919, (569.8, 605.7, 527.8, 584.1)),
    ],
)
def test_projection_dans_son_departement(ville, longitude, latitude, boite):
    x, y = carte.projeter(longitude, latitude)
    x_min, x_max, y_min, y_max = boite
    assert x_min <= x <= x_max and y_min <= y <= y_max, ville


def test_un_site_outre_mer_est_dit_hors_carte(site_cvl):
    site_cvl.longitude, site_cvl.latitude = 55.45, -20.88  # La Réunion
    resultat = carte.carte_des_sites([site_cvl], titre="Carte")
    assert resultat["places"] == 0 and resultat["hors_carte"] == [site_cvl]


def test_page_d_un_site(client, site_cvl, territoire_cvl, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        reponse = client.get(site_cvl.get_absolute_url())

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "<h1>Parc industriel d’Amilly</h1>" in contenu
    assert "Embranchement ferroviaire (ITE) : oui" in contenu
    assert territoire_cvl.nom in contenu
    assert "Envoyer ma demande" in contenu
    assert "Changer le statut" not in contenu  # a visitor keeps nothing


def test_site_inconnu_404(client, db):
    assert client.get(reverse("foncier:site", args=["45208_SITE-ECO_99999"])).status_code == 404


def test_export_du_catalogue_filtre(client, sites):
    reponse = client.get(reverse("foncier:export_sites"), {"port": "on"})

    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    lignes = reponse.content.decode().splitlines()
    assert lignes[0].startswith("site_id;pole_id;site_nom;")
    assert len(lignes) == 2 and "Zone portuaire de Lorient" in lignes[1]


def test_accueil_et_menu_menent_au_catalogue(client, db):
    contenu = client.get(reverse("accueil")).content.decode()
    assert contenu.count(f'href="{CATALOGUE}"') >= 2  # the main menu and the home page


def test_export_avec_un_filtre_invalide_renvoie_au_catalogue(client, sites):
    reponse = client.get(reverse("foncier:export_terrains"), {"surface_min": "beaucoup"})
    assert reponse.status_code == 302 and reponse["Location"] == f"{CATALOGUE}?surface_min=beaucoup"


def test_une_facette_est_un_lien_qui_garde_la_recherche(client, sites):
    contenu = client.get(CATALOGUE, {"surface_min": "1"}).content.decode()
    assert 'href="?surface_min=1&amp;region=53&amp;page=1">Bretagne</a> : 1' in contenu


def test_la_carte_est_plafonnee_et_le_dit(client, sites, monkeypatch):
    monkeypatch.setattr(carte, "PLAFOND", 2)

    contenu = client.get(CATALOGUE).content.decode()

    assert contenu.count('class="ti-carte__site"') == 2
    assert "La carte place les 2 premiers sites ; 1 autre n’y figure pas : affinez la recherche." in contenu


@pytest.mark.parametrize(
    ("jour", "mois", "attendu"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 6), 12, date(2027, 12, 6)),
        (date(2026, 12, 6), 0, date(2026, 12, 6)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
    ],
)
def test_dans_n_mois(jour, mois, attendu):
    assert selectors.dans_n_mois(jour, mois) == attendu
