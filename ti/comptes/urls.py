from django.contrib.auth import views as auth_views
from django.urls import path

from ti.comptes import views, views_donnees, views_double_facteur, views_inscription, views_jetons
from ti.core.cache_pages import formulaire_anonyme

app_name = "comptes"
urlpatterns = [
    path("connexion/", formulaire_anonyme(views.Connexion.as_view()), name="connexion"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),  # POST only
    path(
        "mot-de-passe/oublie/", formulaire_anonyme(views.DemandeReinitialisation.as_view()), name="mot_de_passe_oublie"
    ),
    path("mot-de-passe/oublie/envoye/", views.ReinitialisationEnvoyee.as_view(), name="mot_de_passe_envoye"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.NouveauMotDePasse.as_view(), name="mot_de_passe_nouveau"),
    path("mot-de-passe/enregistre/", views.MotDePasseEnregistre.as_view(), name="mot_de_passe_enregistre"),
    path("mot-de-passe/changer/", views.ChangementMotDePasse.as_view(), name="mot_de_passe_changer"),
    path("mot-de-passe/change/", views.MotDePasseChange.as_view(), name="mot_de_passe_change"),
    path("inscription/", views_inscription.inscription_page, name="inscription"),
    path("inscription/envoyee/", views_inscription.inscription_envoyee, name="inscription_envoyee"),
    path("inscription/nouveau-lien/", views_inscription.renvoyer_lien, name="renvoyer_lien"),
    path("inscription/confirmer/<str:jeton>/", views_inscription.confirmer_inscription, name="confirmer_inscription"),
    path("mon-espace/entreprises/", views_inscription.mes_entreprises, name="mes_entreprises"),
    path("habilitations/revendications/", views_inscription.revendications, name="revendications"),
    path("mon-espace/", views.mon_espace, name="mon_espace"),
    path("habilitations/", views.habilitations, name="habilitations"),
    path("habilitations/nouveau-compte/", views.creer_compte, name="creer_compte"),
    path("habilitations/comptes/<int:pk>/", views.utilisateur, name="utilisateur"),
    path("habilitations/comptes/<int:pk>/accorder/", views.accorder, name="accorder"),
    path("habilitations/<int:pk>/retirer/", views.revoquer, name="revoquer"),
    path("double-facteur/", views_double_facteur.verifier, name="double_facteur"),
    path("double-facteur/activer/", views_double_facteur.activer, name="double_facteur_activer"),
    path("double-facteur/codes-de-secours/", views_double_facteur.codes_de_secours, name="codes_de_secours"),
    path(
        "double-facteur/codes-de-secours/telecharger/",
        views_double_facteur.telecharger_codes_de_secours,
        name="telecharger_codes_de_secours",
    ),
    path(
        "double-facteur/codes-de-secours/regenerer/",
        views_double_facteur.regenerer_codes_de_secours,
        name="regenerer_codes_de_secours",
    ),
    path("mon-espace/donnees/", views_donnees.mes_donnees, name="mes_donnees"),
    path("mon-espace/donnees.json", views_donnees.mes_donnees_json, name="mes_donnees_json"),
    path("mon-espace/jetons/nouveau/", views_jetons.creer_jeton, name="creer_jeton"),
    path("mon-espace/jetons/<int:pk>/revoquer/", views_jetons.revoquer_jeton, name="revoquer_jeton"),
]
