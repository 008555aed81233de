"""The « Données ouvertes » page: every dataset and API the platform publishes, each link answering a visitor."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.animation.conftest import creer_evenement
from tests.factories import utilisateur_avec
from tests.financements.test_import_fonds_vert import ecrire, ligne
from tests.html import lire
from ti.comptes.models import Role
from ti.financements.import_fonds_vert import importer_fonds_vert

PAGE = "/donnees-ouvertes/"


@pytest.fixture
def evenements(db):
    organisateur = utilisateur_avec(Role.EQUIPE_NATIONALE)
    public = creer_evenement(organisateur, titre="Webinaire France 2030", public=True)
    reserve = creer_evenement(organisateur, titre="Atelier des chefs de projet", public=False)
    return public, reserve


def _sections(page) -> list[str]:
    return [texte for balise, texte in page.titres if balise == "h2"]


def test_la_page_decrit_chaque_jeu_publie(client, db):
    response = client.get(reverse("pilotage:donnees_ouvertes"))

    assert response.status_code == 200
    page = lire(response)
    assert page.h1() == "Données ouvertes"
    assert _sections(page) == [
        "Subventions attribuées du Fonds vert « Territoires d’industrie »",
        "Projets des territoires (fiches-action)",
        "Territoires d’industrie et leurs périmètres",
        "Le Fonds vert dans les territoires d’industrie",
        "Sites clés en main",
        "Offre d’ingénierie et missions commandées",
        "Événements du réseau",
        "L’API",
    ]
    assert page.texte.count("Licence Ouverte 2.0 (Etalab)") >= 7
    assert page.lien("SCDL Subventions 2.1.1").href == "https://schema.data.gouv.fr/scdl/subventions/2.1.1/"
    assert (
        page.lien("Standard CNIG Sites économiques v1.0.1").href == "https://github.com/cnigfr/schema-sites-economiques"
    )
    assert page.lien("Fichier des subventions").href == reverse("api:subventions_csv")
    assert page.lien("Fichier site-eco").href == reverse("foncier:export_sites")
    assert page.lien("Export des projets").href == reverse("api:export_projets_collectivites")
    assert page.lien("Documentation de l’API").href == reverse("documentation_api:index")
    assert page.lien("Document OpenAPI (JSON)").href == reverse("api:openapi-json")


def test_chaque_lien_interne_de_la_page_repond_a_un_visiteur(client, evenements, fonds_vert_2024):
    page = lire(client.get(PAGE))

    internes = {lien.href for lien in page.liens_du_contenu() if not urlsplit(lien.href).netloc}
    assert len(internes) >= 25
    for href in sorted(internes):
        if href.startswith("#"):
            continue
        response = client.get(href)
        assert response.status_code == 200, href


def test_les_liens_de_telechargement_donnent_des_fichiers(client, evenements, fonds_vert_2024):
    page = lire(client.get(PAGE))

    types = {}
    for lien in page.liens_du_contenu():
        if "download" in lien.attributs:
            types[lien.texte] = client.get(lien.href)["Content-Type"].split(";")[0]
    assert types["Fichier des subventions"] == "text/csv"
    assert types["Export des projets"] == "text/csv"
    assert types["Fichier terrain-eco"] == "text/csv"
    assert types["Synthèse par année (CSV)"] == "text/csv"
    assert any(type_ == "text/calendar" for type_ in types.values())
    assert "text/html" not in types.values()


def test_seuls_les_evenements_publics_y_donnent_leur_agenda_meme_a_l_equipe_nationale(client, evenements):
    public, reserve = evenements
    client.force_login(utilisateur_avec(Role.EQUIPE_NATIONALE))

    page = lire(client.get(PAGE))

    agendas = [lien.href for lien in page.liens if lien.href.endswith(".ics")]
    assert agendas == [reverse("animation:agenda", args=[public.pk])]
    assert "Atelier des chefs de projet" not in page.texte


def test_la_page_data_gouv_d_un_jeu_vient_des_reglages(client, db, settings):
    settings.PAGES_DATA_GOUV = {}
    page = lire(client.get(PAGE))
    assert page.texte.count("Pas encore publié sur data.gouv.fr") == 7
    assert not [lien for lien in page.liens_du_contenu() if "data.gouv.fr/fr/datasets" in lien.href]

    adresse = "https://www.data.gouv.fr/fr/datasets/subventions-territoires-d-industrie/"
    settings.PAGES_DATA_GOUV = {"subventions": adresse}
    page = lire(client.get(PAGE))
    assert page.lien("Page du jeu de données").href == adresse
    assert page.texte.count("Pas encore publié sur data.gouv.fr") == 6


def test_une_adresse_data_gouv_non_https_est_refusee_au_demarrage(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings

    monkeypatch.setenv("DATA_GOUV_SUBVENTIONS", "http://exemple.invalid/")
    with pytest.raises(ImproperlyConfigured, match="DATA_GOUV_SUBVENTIONS"):
        importlib.reload(config.settings)
    monkeypatch.delenv("DATA_GOUV_SUBVENTIONS")
    importlib.reload(config.settings)


def test_la_page_coute_deux_requetes_au_visiteur(client, evenements, fonds_vert_2024, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(PAGE)


@pytest.fixture
def fonds_vert_2024(db, tmp_path):
    lignes = [ligne(numero_dossier_ds="1", code_commune="99999", code_departement="99", montant_engage="1000")]
    assert importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", lignes)).accepte


def test_sans_annee_chargee_le_fonds_vert_n_offre_pas_de_fichier_vide(client, db):
    page = lire(client.get(PAGE))

    assert "Aucune année n’est encore chargée" in page.texte
    assert not [lien for lien in page.liens_du_contenu() if "format=" in lien.href]


def test_les_tableaux_du_fonds_vert_se_telechargent_pour_la_derniere_annee(client, fonds_vert_2024):
    page = lire(client.get(PAGE))

    for libelle, nom in [
        ("Synthèse par année (CSV)", "fonds-vert-annees.csv"),
        ("Par région, 2024 (XLSX)", "fonds-vert-2024-regions.xlsx"),
        ("Par territoire, 2024 (ODS)", "fonds-vert-2024-territoires.ods"),
    ]:
        response = client.get(page.lien(libelle).href)
        assert response["Content-Disposition"] == f'attachment; filename="{nom}"', libelle
