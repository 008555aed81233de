from django.urls import path

from ti.animation import views, views_agenda, views_echanges

app_name = "animation"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("evenements/nouveau/", views.nouvel_evenement, name="nouvel_evenement"),
    path("evenements/<int:pk>/", views.evenement, name="evenement"),
    path("evenements/<int:pk>/inscription/", views.inscrire, name="inscrire"),
    path("evenements/<int:pk>/annulation/", views.annuler, name="annuler"),
    path("evenements/<int:pk>/agenda.ics", views.fichier_agenda, name="agenda"),
    path("evenements/<int:pk>/attestations/<int:inscription_pk>/", views.attestation, name="attestation"),
    path("evenements/<int:pk>/presences/", views.presences, name="presences"),
    path("evenements/<int:pk>/inscriptions.csv", views.export_inscriptions, name="export_inscriptions"),
    path("mon-agenda/", views_agenda.mon_agenda, name="mon_agenda"),
    path("agenda/<str:jeton>.ics", views_agenda.flux, name="flux"),
    path("echanges/", views_echanges.fils, name="fils"),
    path("echanges/nouveau/", views_echanges.nouveau_fil, name="nouveau_fil"),
    path("echanges/<int:pk>/", views_echanges.fil, name="fil"),
]

urlpatterns += [
    path("echanges/<int:pk>/suivi/", views_echanges.suivre, name="suivre_fil"),
    path("echanges/<int:pk>/verrou/", views_echanges.verrouiller, name="verrouiller_fil"),
    path("echanges/<int:pk>/signalement/", views_echanges.signaler, name="signaler_question"),
    path("echanges/<int:pk>/reponses/<int:reponse>/signalement/", views_echanges.signaler, name="signaler_reponse"),
    path("echanges/<int:pk>/masquage/", views_echanges.masquer, name="masquer_question"),
    path("echanges/<int:pk>/reponses/<int:reponse>/masquage/", views_echanges.masquer, name="masquer_reponse"),
    path("echanges/<int:pk>/piece-jointe/", views_echanges.piece_jointe, name="piece_jointe_question"),
    path(
        "echanges/<int:pk>/reponses/<int:reponse>/piece-jointe/",
        views_echanges.piece_jointe,
        name="piece_jointe_reponse",
    ),
]

urlpatterns += [
    path("evenements/<int:pk>/modification/", views.modifier_evenement, name="modifier_evenement"),
    path("evenements/<int:pk>/annulation-de-l-evenement/", views.annuler_evenement, name="annuler_evenement"),
    path("evenements/<int:pk>/inscriptions.<str:format_>", views.export_inscriptions, name="exporter_inscriptions"),
]

# The resource centre, the directory and the figures of the network (decision 0049).
from ti.animation import views_annuaire, views_chiffres, views_ressources  # noqa: E402

urlpatterns += [
    path("ressources/", views_ressources.ressources, name="ressources"),
    path("ressources/publier/", views_ressources.publier, name="publier_ressource"),
    path("ressources/<int:pk>/", views_ressources.ressource, name="ressource"),
    path("ressources/<int:pk>/versions/", views_ressources.ajouter_version, name="ajouter_version"),
    path("ressources/<int:pk>/telecharger/", views_ressources.telecharger, name="telecharger"),
    path("ressources/<int:pk>/versions/<int:numero>/", views_ressources.telecharger, name="telecharger_version"),
    path("annuaire/", views_annuaire.annuaire, name="annuaire"),
    path("annuaire/ma-fiche/", views_annuaire.ma_fiche, name="ma_fiche"),
    path("annuaire/ma-fiche/retrait/", views_annuaire.retirer, name="retirer_fiche"),
    path("chiffres/", views_chiffres.chiffres, name="chiffres"),
]
