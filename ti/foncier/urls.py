from django.urls import path

from ti.foncier import views, views_equipe

app_name = "foncier"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("chiffres/", views.chiffres, name="chiffres"),
    path("site-eco.csv", views.export_sites, name="export_sites"),
    path("terrain-eco.csv", views.export_terrains, name="export_terrains"),
    path("demandes/", views_equipe.boite, name="boite"),
    path("demandes/<int:pk>/", views_equipe.demande, name="demande"),
    path("importer/", views_equipe.importer, name="importer"),
    path("<str:identifiant>/", views.site, name="site"),
    path("<str:identifiant>/demande/", views.demander, name="demander"),
    path("<str:identifiant>/modifier/", views_equipe.modifier_site, name="modifier_site"),
    path("<str:identifiant>/statut/", views_equipe.statut_site, name="statut_site"),
    path("<str:identifiant>/pieces/", views_equipe.ajouter_piece, name="ajouter_piece"),
    path("<str:identifiant>/pieces/<int:pk>/", views.piece, name="piece"),
    path("<str:identifiant>/pieces/<int:pk>/archiver/", views_equipe.archiver_piece, name="archiver_piece"),
]
