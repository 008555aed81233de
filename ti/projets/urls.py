"""Routes of the projets part. Each view module belongs to one concern: fiches, plans, imports, search, figures."""

from django.urls import path

from ti.projets.views import fiches, imports, plans, recherche, tableaux

app_name = "projets"
urlpatterns = [
    # Public directory and search within one's scope.
    path("", recherche.annuaire, name="annuaire"),
    path("recherche/", recherche.recherche, name="recherche"),
    # Fiches-action.
    path("territoire/<slug:identifiant>/", fiches.liste_territoire, name="territoire"),
    path("territoire/<slug:identifiant>/nouvelle/", fiches.creer, name="creer"),
    path("<int:pk>/", fiches.detail, name="detail"),
    path("<int:pk>/modifier/", fiches.modifier, name="modifier"),
    path("<int:pk>/archiver/", fiches.archiver, name="archiver"),
    path("<int:pk>/documents/", fiches.deposer_document, name="deposer_document"),
    path("<int:pk>/documents/<int:document_pk>/", fiches.telecharger_document, name="document"),
    path("<int:pk>/documents/<int:document_pk>/archiver/", fiches.archiver_document, name="archiver_document"),
    path("<int:pk>/suivi/", fiches.ajouter_note, name="ajouter_note"),
    # Plans d'action and contracts.
    path("territoire/<slug:identifiant>/plan/", plans.plan_courant, name="plan_courant"),
    path("territoire/<slug:identifiant>/plan/<int:numero>/", plans.plan, name="plan"),
    path("territoire/<slug:identifiant>/plan/<int:numero>/transition/", plans.transition, name="plan_transition"),
    path("territoire/<slug:identifiant>/plan/<int:numero>/annexe.docx", plans.annexe_docx, name="plan_docx"),
    path("territoire/<slug:identifiant>/plan/<int:numero>/export.<str:format>", plans.export, name="plan_export"),
    path("territoire/<slug:identifiant>/contrat/", plans.contrat, name="contrat"),
    # Import of an existing spreadsheet.
    path("territoire/<slug:identifiant>/import/", imports.importer, name="import"),
    path("import/modele.<str:format>", imports.modele, name="import_modele"),
    # Figures.
    path("territoire/<slug:identifiant>/chiffres/", tableaux.territoire, name="chiffres_territoire"),
    path("chiffres/region/<str:code>/", tableaux.region, name="chiffres_region"),
    path("chiffres/national/", tableaux.national, name="chiffres_national"),
]
