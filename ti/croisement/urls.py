from django.urls import path

from ti.croisement import views

app_name = "croisement"
urlpatterns = [
    path("", views.deposer, name="deposer"),
    path("<str:jeton>/", views.choisir, name="choisir"),
]
