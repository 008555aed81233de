from django.urls import path

from ti.ingenierie import views, views_budget, views_livrables, views_phases, views_resultats

app_name = "ingenierie"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("offres/<int:pk>/", views.offre, name="offre"),
    path("suivi/", views.tableau, name="tableau"),
    path("suivi/budget/", views_budget.budget, name="budget"),
    path("suivi/missions.<str:format>", views.export_missions, name="export_missions"),
    path("territoires/<str:identifiant>/demander/", views.nouvelle_demande, name="nouvelle_demande"),
    path("demandes/<int:pk>/", views.demande, name="demande"),
    path("demandes/<int:pk>/mission/", views.commander_mission, name="commander_mission"),
    path("missions/<int:pk>/", views.mission, name="mission"),
    path("missions/<int:pk>/phases/", views_phases.modifier_phases, name="phases"),
    path("missions/<int:pk>/fiches/", views_resultats.rattacher_fiches, name="rattacher_fiches"),
    path("missions/<int:pk>/livrables/", views_livrables.deposer, name="deposer_livrable"),
    path("missions/<int:pk>/livrables/<int:livrable>/", views_livrables.telecharger, name="livrable"),
    path("missions/<int:pk>/livrables/<int:livrable>/examen/", views_livrables.examiner, name="examiner_livrable"),
]
