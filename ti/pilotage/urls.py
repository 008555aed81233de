from django.urls import path

from ti.pilotage import views

app_name = "pilotage"
urlpatterns = [
    path("", views.donnees_ouvertes, name="donnees_ouvertes"),
]
