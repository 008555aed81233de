"""The site's own pages, linked from the footer of every page (templates/base.html)."""

from django.urls import path

from ti.core import views

app_name = "core"
urlpatterns = [
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("gestion-des-cookies/", views.cookies, name="cookies"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("plan-du-site/", views.plan, name="plan_du_site"),
]
