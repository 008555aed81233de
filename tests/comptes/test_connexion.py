"""Login by e-mail and password, lockout after repeated failures, password reset and change, logout."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ..factories import UtilisateurFactory
from .conftest import MOT_DE_PASSE

CONNEXION = reverse("comptes:connexion")


@pytest.fixture
def agent(db):
    return UtilisateurFactory(email="agent.cvl@exemple.gouv.fr", prenom="Agnès")


def se_connecter(client, email, mot_de_passe, **entetes):
    return client.post(CONNEXION, {"username": email, "password": mot_de_passe}, **entetes)


def test_la_page_de_connexion_est_accessible(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        reponse = client.get(CONNEXION)
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert '<label class="fr-label" for="id_username">Adresse électronique' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'type="email"' in html
    assert reverse("comptes:mot_de_passe_oublie") in html
    assert "ProConnect" not in html  # not configured here


def test_connexion_reussie_mene_a_a_faire(client, agent, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        reponse = se_connecter(client, "agent.cvl@exemple.gouv.fr", MOT_DE_PASSE)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("espace:a_faire")
    assert client.session["_auth_user_id"] == str(agent.pk)


def test_l_adresse_est_reconnue_quelle_que_soit_la_casse(client, agent):
    reponse = se_connecter(client, "  Agent.CVL@Exemple.gouv.fr ", MOT_DE_PASSE)
    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.pk)


def test_connexion_vers_la_page_demandee(client, agent):
    reponse = client.post(
        f"{CONNEXION}?next=/comptes/mot-de-passe/changer/",
        {"username": agent.email, "password": MOT_DE_PASSE, "next": "/comptes/mot-de-passe/changer/"},
    )
    assert reponse["Location"] == "/comptes/mot-de-passe/changer/"


def test_connexion_refuse_une_redirection_vers_un_autre_site(client, agent):
    reponse = client.post(
        CONNEXION, {"username": agent.email, "password": MOT_DE_PASSE, "next": "https://pirate.example/"}
    )
    assert reponse["Location"] == reverse("espace:a_faire")


def test_mauvais_mot_de_passe_message_en_francais(client, agent, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        reponse = se_connecter(client, agent.email, "pas-le-bon-mot-de-passe")
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Adresse électronique ou mot de passe incorrect" in html
    assert "Après 5 essais infructueux" in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_adresse_inconnue_meme_message(client, agent):
    reponse = se_connecter(client, "personne@exemple.gouv.fr", MOT_DE_PASSE)
    assert "Adresse électronique ou mot de passe incorrect" in reponse.content.decode()


def test_champs_vides_et_adresse_mal_formee(client, db):
    html = se_connecter(client, "", "").content.decode()
    assert html.count('fr-message--error">Ce champ est obligatoire') == 2
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username-messages"' in html
    html = se_connecter(client, "pas-une-adresse", "x").content.decode()
    assert "Saisissez une adresse électronique valide" in html


def test_compte_desactive_ne_se_connecte_pas(client, agent):
    agent.is_active = False
    agent.save()
    reponse = se_connecter(client, agent.email, MOT_DE_PASSE)
    assert reponse.status_code == 200
    assert "_auth_user_id" not in client.session


def test_verrouillage_apres_cinq_echecs(client, agent, django_assert_max_num_queries):
    for _ in range(4):
        assert se_connecter(client, agent.email, "mauvais").status_code == 200
    with django_assert_max_num_queries(20):
        reponse = se_connecter(client, agent.email, "mauvais")
    assert reponse.status_code == 429
    html = reponse.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert "bloquée pendant 30 minutes" in html
    assert reverse("comptes:mot_de_passe_oublie") in html
    # Even the right password is refused while the lock lasts.
    reponse = se_connecter(client, agent.email, MOT_DE_PASSE)
    assert reponse.status_code == 429
    assert "_auth_user_id" not in client.session


def test_le_verrouillage_ignore_la_casse_de_l_adresse(client, agent):
    for variante in ("agent.cvl@exemple.gouv.fr", "AGENT.cvl@exemple.gouv.fr", "Agent.Cvl@Exemple.Gouv.Fr") * 2:
        reponse = se_connecter(client, variante, "mauvais")
    assert reponse.status_code == 429


def test_le_verrouillage_vaut_pour_un_compte_depuis_une_adresse(client, agent):
    for _ in range(5):
        se_connecter(client, agent.email, "mauvais")
    autre_poste = se_connecter(client, agent.email, MOT_DE_PASSE, REMOTE_ADDR="192.0.2.44")
    assert autre_poste.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.pk)


def test_une_connexion_reussie_remet_le_compteur_a_zero(client, agent):
    for _ in range(4):
        se_connecter(client, agent.email, "mauvais")
    assert se_connecter(client, agent.email, MOT_DE_PASSE).status_code == 302
    client.logout()
    for _ in range(4):
        assert se_connecter(client, agent.email, "mauvais").status_code == 200
    # 8 failures in all, over the limit of 5 had the success not reset the count: the account is still open.
    assert se_connecter(client, agent.email, MOT_DE_PASSE).status_code == 302


def test_deconnexion_par_post(client, agent):
    client.force_login(agent)
    assert client.get(reverse("comptes:deconnexion")).status_code == 405
    reponse = client.post(reverse("comptes:deconnexion"))
    assert reponse.status_code == 302
    assert "_auth_user_id" not in client.session


def test_utilisateur_connecte_ne_revoit_pas_la_page_de_connexion(client, agent):
    client.force_login(agent)
    assert client.get(CONNEXION)["Location"] == reverse("espace:a_faire")


# Password reset ------------------------------------------------------------------------------------------------


@pytest.fixture
def demander_un_lien(client, django_capture_on_commit_callbacks, executer_travaux):
    """« Mot de passe oublié ? », then the job queue sends the e-mail."""

    def demander(email):
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(reverse("comptes:mot_de_passe_oublie"), {"email": email})
        executer_travaux()
        return reponse

    return demander


def lien_du_courriel(message) -> str:
    return re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+)", message.body).group(1)


def test_demande_de_reinitialisation_envoie_un_courriel(
    client, agent, django_assert_max_num_queries, django_capture_on_commit_callbacks, executer_travaux
):
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(5):  # 4, and the queued job
        reponse = client.post(reverse("comptes:mot_de_passe_oublie"), {"email": "AGENT.cvl@exemple.gouv.fr"})
    assert mail.outbox == []  # queued, not sent in the request
    assert executer_travaux() == 1
    assert reponse["Location"] == reverse("comptes:mot_de_passe_envoye")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["agent.cvl@exemple.gouv.fr"]
    assert message.subject == "Territoires d’industrie : choisir un nouveau mot de passe"
    assert "Bonjour Agnès" in message.body
    assert lien_du_courriel(message)


def test_adresse_inconnue_meme_page_sans_courriel(agent, demander_un_lien):
    reponse = demander_un_lien("inconnu@exemple.gouv.fr")
    assert reponse["Location"] == reverse("comptes:mot_de_passe_envoye")
    assert mail.outbox == []


def test_compte_sans_mot_de_passe_recoit_aussi_le_lien(db, demander_un_lien):
    invite = UtilisateurFactory(email="invite@exemple.gouv.fr")
    invite.set_unusable_password()
    invite.save()
    demander_un_lien("invite@exemple.gouv.fr")
    assert len(mail.outbox) == 1


def test_pages_de_reinitialisation_en_francais(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        html = client.get(reverse("comptes:mot_de_passe_oublie")).content.decode()
    assert "Mot de passe oublié" in html and 'autocomplete="email"' in html
    with django_assert_max_num_queries(2):
        html = client.get(reverse("comptes:mot_de_passe_envoye")).content.decode()
    assert "Vérifiez votre messagerie" in html and "3 jours" in html
    with django_assert_max_num_queries(2):
        html = client.get(reverse("comptes:mot_de_passe_enregistre")).content.decode()
    assert "Mot de passe enregistré" in html


def test_parcours_complet_de_reinitialisation(client, agent, django_assert_max_num_queries, demander_un_lien):
    demander_un_lien(agent.email)
    lien = lien_du_courriel(mail.outbox[0])
    formulaire = client.get(lien, follow=True)
    assert "Choisir un mot de passe" in formulaire.content.decode()
    assert 'autocomplete="new-password"' in formulaire.content.decode()
    url_formulaire = formulaire.redirect_chain[-1][0]
    with django_assert_max_num_queries(10):
        reponse = client.post(
            url_formulaire, {"new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"}
        )
    assert reponse["Location"] == reverse("comptes:mot_de_passe_enregistre")
    assert se_connecter(client, agent.email, "Nouveau-Secret-2026").status_code == 302
    # The link served once: it is dead now.
    client.logout()
    assert "Ce lien n’est plus valable" in client.get(lien, follow=True).content.decode()


def test_mot_de_passe_trop_faible_refuse(client, agent, demander_un_lien):
    demander_un_lien(agent.email)
    url = client.get(lien_du_courriel(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    html = client.post(url, {"new_password1": "123456", "new_password2": "123456"}).content.decode()
    assert "Ce mot de passe est trop court" in html
    assert "Ce mot de passe est entièrement numérique" in html


def test_la_reinitialisation_leve_le_verrouillage(client, agent, demander_un_lien):
    for _ in range(5):
        se_connecter(client, agent.email, "mauvais")
    assert se_connecter(client, agent.email, MOT_DE_PASSE).status_code == 429
    demander_un_lien(agent.email)
    url = client.get(lien_du_courriel(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"})
    assert se_connecter(client, agent.email, "Nouveau-Secret-2026").status_code == 302


# Password change -----------------------------------------------------------------------------------------------


def test_changement_de_mot_de_passe(client, agent, django_assert_max_num_queries):
    client.force_login(agent)
    url = reverse("comptes:mot_de_passe_changer")
    with django_assert_max_num_queries(4):
        assert "Mot de passe actuel" in client.get(url).content.decode()
    mauvais = client.post(
        url, {"old_password": "faux", "new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"}
    )
    assert "Votre ancien mot de passe est incorrect" in mauvais.content.decode()
    with django_assert_max_num_queries(14):
        reponse = client.post(
            url,
            {
                "old_password": MOT_DE_PASSE,
                "new_password1": "Nouveau-Secret-2026",
                "new_password2": "Nouveau-Secret-2026",
            },
        )
    assert reponse["Location"] == reverse("comptes:mot_de_passe_change")
    agent.refresh_from_db()
    assert agent.check_password("Nouveau-Secret-2026")
    with django_assert_max_num_queries(4):
        assert client.get(reponse["Location"]).status_code == 200


def test_changement_de_mot_de_passe_demande_la_connexion(client, db):
    reponse = client.get(reverse("comptes:mot_de_passe_changer"))
    assert reponse["Location"].startswith(CONNEXION)
