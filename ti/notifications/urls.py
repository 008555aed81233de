from django.urls import path

from ti.notifications import views, views_travaux

app_name = "notifications"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/lue/", views.marquer_lue, name="marquer_lue"),
    path("tout-lu/", views.tout_marquer_lu, name="tout_marquer_lu"),
    path("envois-en-echec/", views_travaux.echecs, name="echecs"),
]
