"""The public API, version 1: mounted at /api/v1/ (OpenAPI document at openapi.json, interactive docs at docs)."""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from ti.api import chiffres, croisement, erreurs, financements, foncier, ingenierie, projets, territoires

DESCRIPTION = """
Données publiques du programme **Territoires d’industrie** : les territoires labellisés (Temps I 2018-2022,
Temps II 2023-2027), leur périmètre (EPCI et communes du Code officiel géographique), leur gouvernance et les
chiffres clés du programme.

- Accès libre, sans authentification ; lecture seule.
- Fiches-action (projets) : sans authentification, les fiches publiées ; avec un jeton d’API créé dans
  « Mon espace » (en-tête `Authorization: Bearer <clé>`), toutes les fiches du périmètre de son titulaire.
- Sites clés en main : le catalogue, ses filtres et ses chiffres ; le catalogue aux fichiers du standard CNIG
  Sites économiques (`/sites/site-eco.csv`, `/sites/terrain-eco.csv`). Les demandes des investisseurs ne sont
  jamais publiées.
- Ingénierie : l’offre de l’ANCT et des opérateurs (`/ingenierie/offres`) et les missions commandées
  (`/ingenierie/missions`), sans donnée personnelle.
- Réponses en JSON, champs en français.
- Subventions attribuées du Fonds vert « Territoires d’industrie » : au format national SCDL Subventions 2.1.1,
  en JSON paginé ou en CSV (`/subventions.csv`), sans authentification.
- Listes paginées par `limit` (20 par défaut, 100 au plus) et `offset` ; chaque page donne le `total` et les liens
  `suivant` et `precedent`.
- Erreurs : `400` pour un paramètre invalide, avec `detail` (le message en français) et `erreurs`
  (la liste `parametre` / `message`) ; `404` quand l’identifiant ne désigne rien, avec `detail`.
- Croisement : `POST /croisement` rend un fichier CSV ou XLSX de communes avec les colonnes des Territoires
  d’industrie ajoutées (le service de la page « Croiser un fichier »).
- Les réponses peuvent être mises en cache cinq minutes.

Aucune coordonnée personnelle (courriel, téléphone) n’est publiée par cette API.
Données sous Licence Ouverte 2.0 (Etalab) ; référentiel géographique : COG de l’Insee.
""".strip()


class JSONFrancais(JSONRenderer):
    """UTF-8 as is (« Région », not « R\\u00e9gion »): the JSON stays readable by a person."""

    media_type = "application/json"  # ninja appends the charset itself
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="API Territoires d’industrie",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    renderer=JSONFrancais(),
    # ninja serves Swagger UI from its own static files (ninja is in INSTALLED_APPS): no CDN.
    # Swagger UI would otherwise send the document to validator.swagger.io for its badge: turned off.
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    openapi_extra={
        "info": {
            "contact": {
                "name": "Équipe nationale Territoires d’industrie (ANCT)",
                "url": "https://agence-cohesion-territoires.gouv.fr/territoires-dindustrie-44",
            },
            "license": {
                "name": "Licence Ouverte 2.0 (Etalab)",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
    },
)
erreurs.installer(api)
api.add_router("", territoires.router)
api.add_router("", chiffres.router)
projets.installer(api)
api.add_router("", financements.router)
api.add_router("", croisement.router)
api.add_router("", foncier.router)
api.add_router("", ingenierie.router)
