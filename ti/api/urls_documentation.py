"""The French documentation of the API, beside the API itself (mounted at /api/ by config/urls.py)."""

from django.urls import path

from ti.api import views

app_name = "documentation_api"
urlpatterns = [path("", views.documentation, name="index")]
