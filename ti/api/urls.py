from ninja import NinjaAPI

api = NinjaAPI(title="API Territoires d’industrie", version="1", urls_namespace="api")
