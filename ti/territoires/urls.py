from django.urls import path

from ti.territoires import views

app_name = "territoires"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("commune/", views.commune, name="commune"),
    path("regions/<str:code>/", views.region, name="region"),
    path("chefs-de-projet/", views.chefs_de_projet, name="chefs_de_projet"),
    path("<slug:identifiant>/", views.detail, name="detail"),
    path("<slug:identifiant>/communes/", views.communes, name="communes"),
    path("<slug:identifiant>/modifier/", views.modifier, name="modifier"),
    path("<slug:identifiant>/financement-du-poste/", views.financer_poste, name="financer_poste"),
]
