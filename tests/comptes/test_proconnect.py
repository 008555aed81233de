"""ProConnect: an existing active account is matched by e-mail; nobody gets an account by logging in."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, override_settings
from django.urls import reverse

from ti.comptes.models import Role, Utilisateur
from ti.comptes.proconnect import ProConnectBackend, parametres_de_verrouillage

from ..factories import HabilitationFactory, UtilisateurFactory
from .conftest import MOT_DE_PASSE

FOURNISSEUR = "https://proconnect.example/api/v2"
REGLAGES = {
    "PROCONNECT_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "client-de-test",
    "OIDC_RP_CLIENT_SECRET": "secret-de-test",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid email given_name usual_name siret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{FOURNISSEUR}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{FOURNISSEUR}/token",
    "OIDC_OP_USER_ENDPOINT": f"{FOURNISSEUR}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{FOURNISSEUR}/jwks",
    "OIDC_CREATE_USER": False,
    "LOGIN_REDIRECT_URL_FAILURE": "/comptes/connexion/?proconnect=echec",
    "ROOT_URLCONF": "tests.comptes.urls_proconnect",
}


def claims(email="agent.cvl@exemple.gouv.fr", **autres):
    return {
        "sub": "c2f1e3",
        "email": email,
        "given_name": "Agnès",
        "usual_name": "Durand",
        "siret": "13002603200016",
        **autres,
    }


@pytest.fixture
def proconnect():
    with override_settings(**REGLAGES):
        yield


@pytest.fixture
def backend(proconnect):
    return ProConnectBackend()


@pytest.fixture
def agent(db):
    return UtilisateurFactory(email="agent.cvl@exemple.gouv.fr", prenom="Agnes", nom="")


def test_compte_retrouve_par_adresse_sans_egard_a_la_casse(backend, agent):
    assert list(backend.filter_users_by_claims(claims("Agent.CVL@Exemple.GOUV.fr "))) == [agent]


def test_compte_desactive_non_retrouve(backend, agent):
    agent.is_active = False
    agent.save()
    assert not backend.filter_users_by_claims(claims()).exists()


def test_sans_adresse_personne_n_est_retrouve(backend, agent):
    assert not backend.filter_users_by_claims(claims(email="")).exists()
    assert not backend.filter_users_by_claims({"sub": "x"}).exists()
    assert not backend.verify_claims(claims(email="  "))


def connexion_simulee(backend, donnees):
    """What mozilla-django-oidc does after the token exchange, with the user info answered without network."""
    backend.get_userinfo = lambda access_token, id_token, payload: donnees
    return backend.get_or_create_user("jeton-d-acces", "jeton-d-identite", {"nonce": "n"})


def test_connexion_met_a_jour_prenom_et_nom(backend, agent, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        utilisateur = connexion_simulee(backend, claims())
    assert utilisateur == agent
    agent.refresh_from_db()
    assert (agent.prenom, agent.nom) == ("Agnès", "Durand")


def test_noms_absents_n_effacent_rien(backend, agent):
    connexion_simulee(backend, claims(given_name="", usual_name=None))
    agent.refresh_from_db()
    assert agent.prenom == "Agnes"


def test_adresse_inconnue_aucun_compte_cree(backend, agent):
    assert connexion_simulee(backend, claims("inconnu@exemple.gouv.fr")) is None
    assert Utilisateur.objects.count() == 1


def test_aucun_compte_cree_meme_si_le_reglage_l_autorisait(backend, agent):
    with override_settings(OIDC_CREATE_USER=True):
        assert connexion_simulee(backend, claims("inconnu@exemple.gouv.fr")) is None
    assert not Utilisateur.objects.filter(email="inconnu@exemple.gouv.fr").exists()


def test_reponse_sans_adresse_refusee(backend, agent):
    with pytest.raises(SuspiciousOperation):
        connexion_simulee(backend, {"sub": "x", "given_name": "Agnès"})


def test_session_d_un_compte_desactive_abandonnee(backend, agent):
    assert backend.get_user(agent.pk) == agent
    agent.is_active = False
    agent.save()
    assert backend.get_user(agent.pk) is None


def test_le_bouton_apparait_quand_proconnect_est_configure(client, proconnect, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        html = client.get(reverse("comptes:connexion") + "?next=/comptes/mon-espace/").content.decode()
    assert "S’identifier avec" in html and '<span class="fr-connect__brand">ProConnect</span>' in html
    assert 'href="/oidc/authenticate/?next=/comptes/mon-espace/"' in html
    assert "Qu’est-ce que ProConnect ?" in html
    assert "comptes/proconnect.css" in html


def test_le_bouton_est_absent_sans_configuration(client, db):
    html = client.get(reverse("comptes:connexion")).content.decode()
    assert "fr-connect" not in html
    assert "/oidc/" not in html


def test_message_clair_apres_un_echec_proconnect(client, proconnect, db):
    html = client.get(reverse("comptes:connexion") + "?proconnect=echec").content.decode()
    assert "La connexion avec ProConnect n’a pas abouti" in html


# The whole return from ProConnect, network answers replaced -----------------------------------------------------


@pytest.fixture
def retour_proconnect(proconnect, settings, monkeypatch):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "ti.comptes.proconnect.ProConnectBackend"]
    reponse = {"claims": claims()}
    monkeypatch.setattr(ProConnectBackend, "get_token", lambda self, payload: {"id_token": "i", "access_token": "a"})
    monkeypatch.setattr(ProConnectBackend, "verify_token", lambda self, token, **kwargs: {"nonce": kwargs.get("nonce")})
    monkeypatch.setattr(ProConnectBackend, "get_userinfo", lambda self, a, i, p: reponse["claims"])

    def revenir(client, **claims_du_retour):
        if claims_du_retour:
            reponse["claims"] = claims(**claims_du_retour)
        depart = client.get("/oidc/authenticate/")
        assert depart.status_code == 302 and depart["Location"].startswith(f"{FOURNISSEUR}/authorize")
        etat = next(iter(client.session["oidc_states"]))
        return client.get("/oidc/callback/", {"code": "code-de-test", "state": etat})

    return revenir


def test_retour_proconnect_connecte_le_compte(client, agent, retour_proconnect):
    reponse = retour_proconnect(client)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("espace:a_faire")
    assert client.session["_auth_user_id"] == str(agent.pk)


def test_retours_proconnect_inconnus_ne_verrouillent_pas_le_poste(client, agent, retour_proconnect):
    """A shared network (a ministry's proxy) must not be locked out by unknown ProConnect addresses."""
    for _ in range(7):
        reponse = retour_proconnect(client, email="inconnu@exemple.gouv.fr")
        assert reponse["Location"] == "/comptes/connexion/?proconnect=echec"
    assert retour_proconnect(client, email=agent.email)["Location"] == reverse("espace:a_faire")
    client.logout()
    connexion = client.post(reverse("comptes:connexion"), {"username": agent.email, "password": MOT_DE_PASSE})
    assert connexion.status_code == 302


def test_parametres_de_verrouillage():
    assert parametres_de_verrouillage(None, {"username": "a@b.fr"}) == [["username", "ip_address"]]
    assert parametres_de_verrouillage(None, {"nonce": "n"}) == ["username"]
    assert parametres_de_verrouillage(None, None) == ["username"]


def test_apres_proconnect_un_instructeur_donne_le_second_facteur(agent, retour_proconnect, cvl):
    HabilitationFactory(utilisateur=agent, role=Role.INSTRUCTEUR, region=cvl)
    navigateur = Client()  # no second factor given by the test helper
    assert retour_proconnect(navigateur)["Location"] == reverse("espace:a_faire")
    reponse = navigateur.get(reverse("comptes:mon_espace"))
    assert reponse["Location"].startswith(reverse("comptes:double_facteur_activer") + "?next=")
