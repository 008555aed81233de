from django.urls import path

from ti.projets import views

app_name = "projets"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("plans/<slug:identifiant>/<int:numero>/", views.plan, name="plan"),
]
