"""The OpenAPI document and the interactive documentation."""

import json
import re

from django.contrib.staticfiles import finders

CHEMINS = {
    "/api/v1/territoires",
    "/api/v1/territoires.csv",
    "/api/v1/territoires/{identifiant}",
    "/api/v1/communes/{code_insee}/territoires",
    "/api/v1/chiffres",
    "/api/v1/projets",
    "/api/v1/projets/{uuid}",
    "/api/v1/projets/export/projets-collectivites.csv",
    "/api/v1/subventions",
    "/api/v1/subventions.csv",
    "/api/v1/croisement",
    "/api/v1/sites",
    "/api/v1/sites/{identifiant}",
    "/api/v1/sites/chiffres",
    "/api/v1/sites/site-eco.csv",
    "/api/v1/sites/terrain-eco.csv",
    "/api/v1/ingenierie/offres",
    "/api/v1/ingenierie/missions",
}


def _references(noeud):
    if isinstance(noeud, dict):
        for cle, valeur in noeud.items():
            if cle == "$ref":
                yield valeur
            else:
                yield from _references(valeur)
    elif isinstance(noeud, list):
        for valeur in noeud:
            yield from _references(valeur)


def test_le_document_openapi_decrit_tous_les_chemins(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        reponse = client.get("/api/v1/openapi.json")

    assert reponse.status_code == 200
    document = json.loads(reponse.content)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == CHEMINS
    # Read-only: every path is a GET, but the cross-file tool, which receives a file and stores nothing.
    methodes = {chemin: set(operations) for chemin, operations in document["paths"].items()}
    assert methodes.pop("/api/v1/croisement") == {"post"}
    assert all(methodes_du_chemin == {"get"} for methodes_du_chemin in methodes.values())


def test_le_document_openapi_presente_l_api_en_francais_avec_contact_et_licence(client, db):
    info = client.get("/api/v1/openapi.json").json()["info"]

    assert info["title"] == "API Territoires d’industrie"
    assert info["version"] == "1.0.0"
    assert "Données publiques du programme" in info["description"]
    assert info["contact"]["name"]
    assert info["license"]["name"] == "Licence Ouverte 2.0 (Etalab)"
    assert info["license"]["url"].startswith("https://")


def test_chaque_reference_du_document_openapi_existe(client, db):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]

    references = set(_references(document["paths"])) | set(_references(schemas))

    assert references
    for reference in references:
        assert reference.removeprefix("#/components/schemas/") in schemas, reference


def test_le_document_openapi_annonce_les_erreurs_et_les_bornes(client, db):
    chemins = client.get("/api/v1/openapi.json").json()["paths"]

    liste = chemins["/api/v1/territoires"]["get"]
    assert set(liste["responses"]) == {"200", "400"}
    parametres = {p["name"]: p for p in liste["parameters"]}
    assert set(parametres) == {"phase", "region", "departement", "chef_projet_statut", "q", "limit", "offset"}
    assert parametres["limit"]["schema"]["maximum"] == 100
    assert parametres["limit"]["schema"]["default"] == 20
    assert set(chemins["/api/v1/territoires/{identifiant}"]["get"]["responses"]) == {"200", "404"}
    assert set(chemins["/api/v1/communes/{code_insee}/territoires"]["get"]["responses"]) == {"200", "400", "404"}


def test_le_document_openapi_ne_decrit_aucune_coordonnee(client, db):
    schemas = json.dumps(client.get("/api/v1/openapi.json").json()["components"]["schemas"])

    for champ in ["email", "courriel", "telephone", "chef_projet_nom", "partenaires"]:
        assert f'"{champ}' not in schemas


def test_la_documentation_interactive_est_servie_sans_cdn(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        reponse = client.get("/api/v1/docs")

    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/html")
    page = reponse.content.decode()
    assert "<title>API Territoires d’industrie</title>" in page
    assert '"url": "/api/v1/openapi.json"' in page
    assert '"validatorUrl": null' in page  # Swagger UI would otherwise send the document to validator.swagger.io
    ressources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in ressources
    assert "/static/ninja/swagger-ui.css" in ressources
    for ressource in ressources:
        assert ressource.startswith("/static/"), ressource  # nothing from a CDN
        assert finders.find(ressource.removeprefix("/static/")), ressource
