"""The project's URLs with ProConnect mounted, as config/urls.py does when PROCONNECT_CLIENT_ID is set."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as urlpatterns_du_projet

urlpatterns = [*urlpatterns_du_projet, path("oidc/", include("mozilla_django_oidc.urls"))]
