"""The API documentation in French, in the site's layout, read from the OpenAPI document (ti/api/documentation.py)."""

import json

from django.urls import reverse

from tests.html import lire
from ti.api import documentation

PAGE = "/api/"


def test_la_documentation_s_ouvre_a_tous_dans_la_mise_en_page_du_site(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("documentation_api:index"))

    assert response.status_code == 200
    page = lire(response)
    assert page.h1() == "Documentation de l’API"
    assert page.titre == "Documentation de l’API — Territoires d’industrie"
    assert page.lien("Document OpenAPI (JSON)").href == reverse("api:openapi-json")
    assert page.lien("Essayer l’API (Swagger UI)").href == reverse("api:openapi-view")
    assert page.pied_de_page()["Plan du site"] == reverse("core:plan_du_site")


def test_chaque_operation_du_document_openapi_est_documentee_sous_son_groupe(client, db):
    document = client.get(reverse("api:openapi-json")).json()
    page = lire(client.get(PAGE))

    groupes = [texte for balise, texte in page.titres if balise == "h2"]
    operations = [texte for balise, texte in page.titres if balise == "h3"]
    attendus = [op for chemin in document["paths"].values() for op in chemin.values()]
    assert sorted(operations) == sorted(op["summary"] for op in attendus)
    assert groupes == list(dict.fromkeys(op["tags"][0] for op in attendus))
    assert "Territoires d’industrie" in groupes and "Subventions attribuées (SCDL)" in groupes
    for op in attendus:  # the summary links to each operation
        assert page.lien(op["summary"]).href == f"#{op['operationId']}"


def test_les_parametres_et_les_reponses_sont_dits_en_francais(client, db):
    texte = lire(client.get(PAGE)).texte

    assert "Taille de la page (100 au plus)." in texte  # a parameter's own description
    assert "entier (au moins 1, au plus 100) ; par défaut 20" in texte
    assert "une valeur parmi « 1 », « 2 », ou null" in texte  # the phase, an enum that may be left out
    assert "200 — Succès" in texte and "404 — Introuvable" in texte and "400 — Paramètre invalide" in texte
    assert "Bad Request" not in texte and "Not Found" not in texte  # ninja's English defaults are replaced
    assert "Jeton d’API facultatif" in texte  # the operations with an optional token say so
    assert "resultats[].nom" in texte  # the fields of a page of results, one level down


def test_les_exemples_de_reponse_suivent_le_schema(db):
    from ti.api.urls import api

    document = api.get_openapi_schema()
    lu = documentation.lire(document)
    liste = next(op for groupe in lu["groupes"] for op in groupe["operations"] if op["id"] == "liste_territoires")
    exemple = json.loads(next(r["exemple"] for r in liste["reponses"] if r["code"] == 200))

    schema = document["components"]["schemas"]["PageTerritoires"]
    assert set(exemple) == set(schema["properties"])
    assert exemple["limit"] == 0 and isinstance(exemple["resultats"], list)
    territoire = exemple["resultats"][0]
    assert set(territoire) == set(document["components"]["schemas"]["TerritoireResume"]["properties"])
    assert territoire["phase"] == 1  # the first value of the enum


def test_un_exemple_donne_par_le_schema_est_repris(db):
    from ti.api.urls import api

    lu = documentation.lire(api.get_openapi_schema())
    chiffres = next(
        op for groupe in lu["groupes"] for op in groupe["operations"] if op["chemin"].endswith("/sites/chiffres")
    )

    assert json.loads(chiffres["reponses"][0]["exemple"])["phrase"] == "55 lauréats France 2030, 3 342 ha"


def test_un_schema_recursif_ne_boucle_pas(db):
    document = {
        "paths": {
            "/arbre": {
                "get": {
                    "summary": "Arbre",
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Noeud"}}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Noeud": {
                    "type": "object",
                    "properties": {"enfants": {"type": "array", "items": {"$ref": "#/components/schemas/Noeud"}}},
                }
            }
        },
    }

    lu = documentation.lire(document)

    assert lu["groupes"][0]["nom"] == "Autres"
    assert "enfants" in lu["groupes"][0]["operations"][0]["reponses"][0]["exemple"]


def test_le_texte_des_descriptions_est_echappe_puis_mis_en_forme():
    html = documentation.texte_en_html("Un **mot** et `code`.\n\n- premier\n  suite\n- <script>x</script>")

    assert html == (
        "<p>Un <strong>mot</strong> et <code>code</code>.</p>"
        "<ul><li>premier suite</li><li>&lt;script&gt;x&lt;/script&gt;</li></ul>"
    )


def test_la_documentation_est_lue_une_fois_par_processus(client, db, monkeypatch):
    documentation.documentation.cache_clear()
    appels = []
    lire_document = documentation.lire
    monkeypatch.setattr(documentation, "lire", lambda document: appels.append(1) or lire_document(document))

    client.get(PAGE)
    client.get(PAGE)

    assert appels == [1]
