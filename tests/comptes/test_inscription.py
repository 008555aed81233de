"""Self-service accounts: sign-up, the confirmation e-mail through the job queue, the link, its expiry, no
enumeration of accounts, the rate limit."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ti.comptes import inscription
from ti.comptes.models import Habilitation, Role, Utilisateur, Verification
from ti.core.models import Journal

from ..factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

INSCRIPTION = reverse("comptes:inscription")
MOT_DE_PASSE = "Forges-du-Gatinais-2026"
SIRET = "73282932000074"


def formulaire(**autres):
    return {
        "email": "Claire.Durand@Fonderie-Exemple.fr",
        "prenom": "Claire",
        "nom": "Durand",
        "mot_de_passe": MOT_DE_PASSE,
        "confirmation": MOT_DE_PASSE,
        "siret": "",
        "organisme": "",
        **autres,
    }


def lien_du_courriel(courriel) -> str:
    return re.search(r"http://\S+/comptes/inscription/confirmer/\S+/", courriel.body).group(0)


def s_inscrire(client, django_capture_on_commit_callbacks, **autres):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(INSCRIPTION, formulaire(**autres))


def test_inscription_compte_inactif_et_courriel_par_la_file(
    client, django_capture_on_commit_callbacks, executer_travaux, mailoutbox
):
    reponse = s_inscrire(client, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("comptes:inscription_envoyee")
    compte = Utilisateur.objects.get(email="claire.durand@fonderie-exemple.fr")
    assert not compte.is_active and compte.inscription_autonome and compte.adresse_confirmee_le is None
    assert compte.check_password(MOT_DE_PASSE)
    assert mailoutbox == []  # only when the queue runs
    assert executer_travaux() == 1
    assert [c.to for c in mailoutbox] == [["claire.durand@fonderie-exemple.fr"]]
    assert "confirmez votre adresse" in mailoutbox[0].subject
    assert Journal.objects.filter(action="inscription", objet_id=str(compte.pk)).exists()


def test_compte_non_confirme_ne_se_connecte_pas(client, django_capture_on_commit_callbacks):
    s_inscrire(client, django_capture_on_commit_callbacks)
    reponse = client.post(
        reverse("comptes:connexion"), {"username": "claire.durand@fonderie-exemple.fr", "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 200 and "_auth_user_id" not in client.session
    assert "Votre compte attend la confirmation de votre adresse" in reponse.content.decode()
    mauvais = client.post(
        reverse("comptes:connexion"), {"username": "claire.durand@fonderie-exemple.fr", "password": "autre-chose-2026"}
    )
    assert "attend la confirmation" not in mauvais.content.decode()  # only whoever knows the password is told


def test_le_lien_active_le_compte_une_seule_fois(
    client, django_capture_on_commit_callbacks, executer_travaux, mailoutbox
):
    s_inscrire(client, django_capture_on_commit_callbacks)
    executer_travaux()
    lien = lien_du_courriel(mailoutbox[0]).removeprefix("http://127.0.0.1:8000")
    page = client.get(lien)
    assert page.status_code == 200 and "Activer mon compte" in page.content.decode()
    assert not Utilisateur.objects.get().is_active  # opening the link (a mail scanner) activates nothing

    reponse = client.post(lien)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("comptes:mes_entreprises")
    compte = Utilisateur.objects.get()
    assert compte.is_active and compte.adresse_confirmee_le is not None
    assert client.session["_auth_user_id"] == str(compte.pk)

    client.logout()
    deuxieme = client.post(lien)
    assert deuxieme.status_code == 400
    assert "déjà confirmée" in deuxieme.content.decode()


def test_lien_expire(client, django_capture_on_commit_callbacks, executer_travaux, mailoutbox, settings):
    s_inscrire(client, django_capture_on_commit_callbacks)
    executer_travaux()
    lien = lien_du_courriel(mailoutbox[0]).removeprefix("http://127.0.0.1:8000")
    with time_machine.travel(timezone.now() + timedelta(hours=settings.INSCRIPTION_LIEN_HEURES, minutes=1)):
        reponse = client.post(lien)
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Ce lien de confirmation a expiré : il était valable 48 heures." in contenu
    assert "Recevoir un nouveau lien" in contenu
    assert not Utilisateur.objects.get().is_active


def test_lien_falsifie(client, django_capture_on_commit_callbacks):
    s_inscrire(client, django_capture_on_commit_callbacks)
    compte = Utilisateur.objects.get()
    jeton = inscription.jeton_de_confirmation(compte)
    reponse = client.post(reverse("comptes:confirmer_inscription", args=[jeton[:-3] + "abc"]))
    assert reponse.status_code == 400 and "n’est pas valide" in reponse.content.decode()
    assert not Utilisateur.objects.get().is_active


def test_lien_ne_reactive_pas_un_compte_ouvert_par_l_equipe_nationale(client, sans_habilitation):
    """A link names a self-service account only: it never turns on an account the national team deactivated."""
    sans_habilitation.is_active = False
    sans_habilitation.save()
    reponse = client.post(
        reverse("comptes:confirmer_inscription", args=[inscription.jeton_de_confirmation(sans_habilitation)])
    )
    assert reponse.status_code == 400
    sans_habilitation.refresh_from_db()
    assert not sans_habilitation.is_active


def test_nouveau_lien_apres_expiration(client, django_capture_on_commit_callbacks, executer_travaux, mailoutbox):
    s_inscrire(client, django_capture_on_commit_callbacks)
    executer_travaux()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("comptes:renvoyer_lien"), {"email": "claire.durand@fonderie-exemple.fr"})
    assert reponse.status_code == 302
    executer_travaux()
    assert len(mailoutbox) == 2 and lien_du_courriel(mailoutbox[1])


def test_adresse_deja_connue_meme_reponse_et_courriel_au_titulaire(
    client, django_capture_on_commit_callbacks, executer_travaux, mailoutbox
):
    """No enumeration: the page answers as for a new address; the holder is told by e-mail, nothing is created."""
    existant = UtilisateurFactory(email="claire.durand@fonderie-exemple.fr")
    reponse = s_inscrire(client, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("comptes:inscription_envoyee")
    assert Utilisateur.objects.count() == 1
    existant.refresh_from_db()
    assert existant.is_active and not existant.inscription_autonome
    assert not existant.check_password(MOT_DE_PASSE)
    executer_travaux()
    assert [c.to for c in mailoutbox] == [[existant.email]]
    assert "vous avez déjà un compte" in mailoutbox[0].subject
    assert "/comptes/mot-de-passe/oublie/" in mailoutbox[0].body


def test_adresse_en_attente_recoit_un_nouveau_lien(
    client, django_capture_on_commit_callbacks, executer_travaux, mailoutbox
):
    s_inscrire(client, django_capture_on_commit_callbacks)
    s_inscrire(client, django_capture_on_commit_callbacks, prenom="Autre")
    assert Utilisateur.objects.get().prenom == "Claire"
    executer_travaux()
    assert len(mailoutbox) == 2 and all("confirmez votre adresse" in c.subject for c in mailoutbox)


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"email": "claire@"}, "email", "Saisissez une adresse électronique valide"),
        ({"confirmation": "autre-chose-2026"}, "confirmation", "Les deux mots de passe ne sont pas identiques."),
        ({"mot_de_passe": "court", "confirmation": "court"}, "mot_de_passe", "trop court"),
        ({"siret": "1234"}, "siret", "Le SIRET doit compter 14 chiffres."),
        ({"siret": "73282932000075"}, "siret", "La clé de contrôle de ce SIRET est fausse."),
    ],
)
def test_erreurs_de_saisie_en_francais_rien_de_cree(client, champs, champ, message):
    reponse = client.post(INSCRIPTION, formulaire(**champs))
    assert reponse.status_code == 400
    assert message in " ".join(reponse.context["form"].errors[champ])
    assert not Utilisateur.objects.exists()
    assert reponse.context["form"]["prenom"].value() == "Claire"  # nothing typed is lost


def test_siret_la_poste_accepte(client, django_capture_on_commit_callbacks):
    """SIREN 356000000: La Poste's establishments carry a digit-sum key instead of Luhn."""
    s_inscrire(client, django_capture_on_commit_callbacks, siret="35600000000048")
    habilitation = Habilitation.objects.get()
    assert habilitation.siret == "35600000000048" and habilitation.revendiquee
    assert habilitation.verification == Verification.NON_INTERROGE


def test_siret_a_l_inscription_devient_une_habilitation_de_porteur(client, django_capture_on_commit_callbacks):
    s_inscrire(client, django_capture_on_commit_callbacks, siret="732 829 320 00074", organisme="Fonderie")
    habilitation = Habilitation.objects.get()
    assert (habilitation.role, habilitation.siret, habilitation.organisme) == (Role.PORTEUR, SIRET, "Fonderie")
    assert habilitation.utilisateur.email == "claire.durand@fonderie-exemple.fr"
    assert Journal.objects.filter(action="siret_revendique").count() == 1


def test_inscriptions_limitees_par_adresse(client, settings):
    settings.INSCRIPTIONS_PAR_ADRESSE = 2
    for numero in range(2):
        assert client.post(INSCRIPTION, formulaire(email=f"personne{numero}@exemple.fr")).status_code == 302
    reponse = client.post(INSCRIPTION, formulaire(email="troisieme@exemple.fr"))
    assert reponse.status_code == 429
    assert "Trop de demandes envoyées depuis votre connexion" in reponse.content.decode()
    assert not Utilisateur.objects.filter(email="troisieme@exemple.fr").exists()
    assert reponse.context["form"]["email"].value() == "troisieme@exemple.fr"


def test_connecte_renvoye_vers_son_espace(client, porteur):
    client.force_login(porteur)
    assert client.get(INSCRIPTION)["Location"] == reverse("comptes:mon_espace")
    client.force_login(UtilisateurFactory(inscription_autonome=True, adresse_confirmee_le=timezone.now()))
    assert client.get(INSCRIPTION)["Location"] == reverse("comptes:mes_entreprises")


def test_page_d_inscription_anonyme_en_requetes_bornees(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        reponse = client.get(INSCRIPTION + f"?siret={SIRET}")
    assert reponse.status_code == 200
    assert reponse.context["form"]["siret"].value() == SIRET
