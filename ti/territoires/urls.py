from django.urls import path

from ti.territoires import views

app_name = "territoires"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("commune/", views.commune, name="commune"),
    path("regions/<str:code>/", views.region, name="region"),
    path("<slug:identifiant>/", views.detail, name="detail"),
    path("<slug:identifiant>/modifier/", views.modifier, name="modifier"),
]
