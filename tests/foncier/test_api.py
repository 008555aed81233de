"""Sites clés en main in the public API and its OpenAPI document."""

from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory
from ti.foncier import cnig

from .conftest import SiteFactory


def test_liste_filtree(client, site_cvl):
    SiteFactory(commune=site_cvl.commune, nom="Petit site", surface_brute=3, surface_utile=2)

    reponse = client.get(reverse("api:sites"), {"surface_min": 20, "rail": "true"})

    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["total"] == 1
    assert donnees["resultats"][0]["identifiant"] == site_cvl.identifiant
    assert donnees["resultats"][0]["region"] == "Centre-Val de Loire"


def test_filtre_invalide_400_en_francais(client, db):
    reponse = client.get(reverse("api:sites"), {"surface_min": "beaucoup"})
    assert reponse.status_code == 400
    assert reponse.json()["erreurs"][0]["parametre"] == "surface_min"


def test_detail_avec_territoires_et_terrains(client, site_cvl, territoire_cvl):
    reponse = client.get(reverse("api:site", args=[site_cvl.identifiant]))

    assert reponse.status_code == 200
    assert reponse.json()["territoires"] == [territoire_cvl.identifiant]
    assert reponse.json()["terrains"] == []
    assert "demandes" not in reponse.json()


def test_detail_inconnu_404(client, db):
    reponse = client.get(reverse("api:site", args=["45208_SITE-ECO_99999"]))
    assert reponse.status_code == 404
    assert reponse.json() == {"detail": "Site introuvable : 45208_SITE-ECO_99999"}


def test_liste_en_requetes_bornees(client, site_cvl, django_assert_max_num_queries):
    for _ in range(30):
        SiteFactory(commune=CommuneFactory(departement=DepartementFactory(code="45")))
    with django_assert_max_num_queries(3):
        reponse = client.get(reverse("api:sites"), {"limit": 100})
    assert reponse.json()["total"] == 31


def test_chiffres(client, site_cvl):
    donnees = client.get(reverse("api:sites_chiffres")).json()
    assert donnees["sites"] == 1 and donnees["phrase"] == "1 lauréat France 2030, 25 ha"


def test_export_csv_au_standard(client, site_cvl):
    reponse = client.get(reverse("api:sites_csv"))
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse.content.decode().splitlines()[0] == ";".join(cnig.colonnes("site-eco"))
