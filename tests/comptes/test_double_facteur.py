"""Two-factor authentication: required of the national team, the instructors and the technical admin; never asked
of the other roles. These tests log in through the real login page, with a client that gives no second factor."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes import double_facteur
from ti.comptes.models import Role, Utilisateur
from ti.core.models import Journal

from ..connexion import application_confirmee, code_actuel
from ..factories import HabilitationFactory
from .conftest import MOT_DE_PASSE

ACTIVER = reverse("comptes:double_facteur_activer")
VERIFIER = reverse("comptes:double_facteur")
CODES = reverse("comptes:codes_de_secours")
MON_ESPACE = reverse("comptes:mon_espace")
FILE = reverse("financements:file")


def connecter(email: str) -> Client:
    """A browser that gives the password on the login page, and nothing more."""
    navigateur = Client()
    reponse = navigateur.post(reverse("comptes:connexion"), {"username": email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 302, "le mot de passe est refusé"
    return navigateur


def html(reponse) -> str:
    return reponse.content.decode()


@pytest.fixture
def instant():
    with time_machine.travel(timezone.now(), tick=False) as voyage:
        yield voyage


def test_instructeur_sans_application_est_envoye_a_l_activation(instructeur_cvl):
    navigateur = connecter(instructeur_cvl.email)
    for url in (MON_ESPACE, FILE, reverse("accueil"), reverse("comptes:mes_donnees")):
        reponse = navigateur.get(url)
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(ACTIVER + "?next=")
    assert navigateur.get(ACTIVER).status_code == 200


def test_equipe_nationale_sans_application_est_envoyee_a_l_activation(equipe_nationale):
    reponse = connecter(equipe_nationale.email).get(reverse("comptes:habilitations"))
    assert reponse["Location"].startswith(ACTIVER)


def test_activation_puis_codes_de_secours(instructeur_cvl, instant):
    navigateur = connecter(instructeur_cvl.email)
    page = navigateur.get(f"{ACTIVER}?next={FILE}")
    assert page["Cache-Control"] == "no-store"
    assert "<svg" in html(page)
    appareil = TOTPDevice.objects.get(user=instructeur_cvl)
    assert not appareil.confirmed
    assert double_facteur.secret_lisible(appareil) in html(page)
    assert navigateur.get(ACTIVER).context["secret"] == double_facteur.secret_lisible(appareil)  # same on reload

    refus = navigateur.post(ACTIVER, {"code": "000000", "next": FILE})
    assert refus.status_code == 200 and "Code incorrect" in html(refus)
    appareil.refresh_from_db()
    assert not appareil.confirmed

    instant.shift(timedelta(seconds=31))  # past the throttle delay, and a new code
    reponse = navigateur.post(ACTIVER, {"code": code_actuel(appareil), "next": FILE})
    assert reponse["Location"] == f"{CODES}?next={FILE.replace('/', '%2F')}"
    appareil.refresh_from_db()
    assert appareil.confirmed
    assert Journal.objects.filter(acteur=instructeur_cvl, action="double_facteur_active").count() == 1

    codes = navigateur.get(CODES).context["codes"]
    assert len(codes) == double_facteur.NOMBRE_CODES_DE_SECOURS
    assert set(codes) == set(StaticToken.objects.filter(device__user=instructeur_cvl).values_list("token", flat=True))
    fichier = navigateur.get(reverse("comptes:telecharger_codes_de_secours"))
    assert fichier["Content-Disposition"].startswith("attachment")
    assert all(code in fichier.content.decode() for code in codes)

    assert navigateur.post(CODES, {"next": FILE})["Location"] == FILE
    assert navigateur.get(CODES).context["codes"] is None  # shown once
    assert navigateur.get(reverse("comptes:telecharger_codes_de_secours")).status_code == 302
    assert navigateur.get(FILE).status_code == 200  # the session is trusted now


def test_avec_application_un_code_faux_est_refuse_puis_le_bon_accepte(instructeur_cvl, instant):
    appareil = application_confirmee(instructeur_cvl)
    navigateur = connecter(instructeur_cvl.email)
    reponse = navigateur.get(FILE)
    assert reponse["Location"].startswith(VERIFIER + "?next=")

    bon = code_actuel(appareil)
    faux = f"{(int(bon) + 1) % 1_000_000:06d}"
    refus = navigateur.post(VERIFIER, {"code": faux, "next": FILE})
    assert refus.status_code == 200 and "Code incorrect ou expiré" in html(refus)
    assert navigateur.get(FILE).status_code == 302

    # Throttled: right after a wrong code, even the right one is not checked.
    trop_tot = navigateur.post(VERIFIER, {"code": bon, "next": FILE})
    assert "Trop de codes erronés" in html(trop_tot)

    instant.shift(timedelta(seconds=5))
    reponse = navigateur.post(VERIFIER, {"code": code_actuel(appareil), "next": FILE})
    assert reponse["Location"] == FILE
    assert navigateur.get(FILE).status_code == 200


def test_la_suite_hors_du_site_est_ignoree(instructeur_cvl, instant):
    appareil = application_confirmee(instructeur_cvl)
    navigateur = connecter(instructeur_cvl.email)
    reponse = navigateur.post(VERIFIER, {"code": code_actuel(appareil), "next": "https://exemple.com/piege"})
    assert reponse["Location"] == reverse("espace:a_faire")


def test_un_code_de_secours_sert_une_seule_fois(instructeur_cvl):
    application_confirmee(instructeur_cvl)
    premier, *_ = double_facteur.regenerer_codes_de_secours(par=instructeur_cvl)

    navigateur = connecter(instructeur_cvl.email)
    reponse = navigateur.post(VERIFIER, {"code": premier.upper(), "next": FILE})
    assert reponse["Location"] == FILE
    assert navigateur.get(FILE).status_code == 200
    assert Journal.objects.filter(acteur=instructeur_cvl, action="code_de_secours_utilise").count() == 1

    autre = connecter(instructeur_cvl.email)
    refus = autre.post(VERIFIER, {"code": premier, "next": FILE})
    assert refus.status_code == 200 and "Code de secours incorrect ou déjà utilisé" in html(refus)
    assert autre.get(FILE).status_code == 302


def test_regenerer_les_codes_de_secours_annule_les_precedents(client, instructeur_cvl):
    anciens = double_facteur.regenerer_codes_de_secours(par=instructeur_cvl)
    client.force_login(instructeur_cvl)
    reponse = client.post(reverse("comptes:regenerer_codes_de_secours"))
    assert reponse["Location"] == CODES
    nouveaux = client.get(CODES).context["codes"]
    actuels = set(StaticToken.objects.filter(device__user=instructeur_cvl).values_list("token", flat=True))
    assert actuels == set(nouveaux) and not actuels & set(anciens)


def test_un_porteur_n_est_jamais_interroge(porteur):
    navigateur = connecter(porteur.email)
    assert navigateur.get(MON_ESPACE).status_code == 200
    assert navigateur.get(reverse("financements:mes_dossiers")).status_code == 200
    assert not TOTPDevice.objects.filter(user=porteur).exists()


def test_un_role_accorde_en_cours_de_session_demande_le_second_facteur(porteur, cvl):
    """Rights are read at every request: the session is not trusted for a role it did not verify."""
    navigateur = connecter(porteur.email)
    assert navigateur.get(MON_ESPACE).status_code == 200
    HabilitationFactory(utilisateur=porteur, role=Role.INSTRUCTEUR, region=cvl)
    assert navigateur.get(MON_ESPACE)["Location"].startswith(ACTIVER)


def test_une_session_en_attente_peut_se_deconnecter(instructeur_cvl):
    navigateur = connecter(instructeur_cvl.email)
    reponse = navigateur.post(reverse("comptes:deconnexion"))
    assert reponse.status_code == 302
    assert "_auth_user_id" not in navigateur.session


def test_administration_technique_exige_le_second_facteur(client, db):
    admin = Utilisateur.objects.create_superuser("admin@exemple.gouv.fr", MOT_DE_PASSE)
    anonyme = Client()
    assert anonyme.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert anonyme.get(reverse("admin:login"))["Location"].startswith(reverse("comptes:connexion") + "?next=/admin/")
    sans_code = connecter(admin.email)
    assert sans_code.get(reverse("admin:index"))["Location"].startswith(ACTIVER)
    client.force_login(admin)  # the shared helper: password and second factor given
    assert client.get(reverse("admin:index")).status_code == 200


def test_le_qr_code_est_dessine_sur_place(instructeur_cvl):
    appareil = double_facteur.application_a_confirmer(instructeur_cvl)
    svg = double_facteur.qr_code_svg(appareil)
    assert svg.lstrip().startswith("<svg") and "http" not in re.sub(r'xmlns(:\w+)?="[^"]+"', "", svg)


def test_un_porteur_n_a_rien_a_activer(client, porteur):
    client.force_login(porteur)
    assert client.get(ACTIVER)["Location"] == MON_ESPACE
    assert CODES not in client.get(MON_ESPACE).content.decode()
    assert not TOTPDevice.objects.filter(user=porteur).exists()


def test_mon_espace_mene_aux_codes_de_secours(client, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert CODES in client.get(MON_ESPACE).content.decode()
