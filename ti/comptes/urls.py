from django.contrib.auth import views as auth_views
from django.urls import path

from ti.comptes import views

app_name = "comptes"
urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="connexion"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path("mon-espace/", views.mon_espace, name="mon_espace"),
]
