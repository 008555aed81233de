"""Demo accounts: one per role, idempotent, a password that the validators accept."""

import re
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes import permissions
from ti.comptes.demo import DOMAINE, MOT_DE_PASSE, DonneesManquantes, creer_utilisateurs_demo, secret_totp
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import Journal
from ti.territoires.models import Territoire

from ..factories import TerritoireFactory


@pytest.fixture
def est_du_loiret(cvl):
    territoire = TerritoireFactory(phase=2, code="2401", nom="Est du Loiret")
    territoire.regions.set([cvl])
    return territoire


def test_un_compte_par_role_et_un_administrateur_technique(est_du_loiret):
    comptes = creer_utilisateurs_demo()
    assert len(comptes) == 9
    assert all(email.endswith(f"@{DOMAINE}") and mot == MOT_DE_PASSE for email, mot, _ in comptes)
    roles = set(Habilitation.objects.actives().values_list("role", flat=True))
    assert roles == set(Role.values)
    admin = Utilisateur.objects.get(email=f"admin@{DOMAINE}")
    assert admin.is_staff and admin.is_superuser and not admin.habilitations.exists()


def test_les_perimetres_de_demonstration(est_du_loiret, territoire_bretagne):
    creer_utilisateurs_demo()

    def compte(local):
        return Utilisateur.objects.get(email=f"{local}@{DOMAINE}")

    assert set(Territoire.objects.du_perimetre(compte("instructeur-cvl"))) == {est_du_loiret}
    assert set(Territoire.objects.du_perimetre(compte("ademe-cvl"))) == {est_du_loiret}
    assert set(Territoire.objects.du_perimetre(compte("region-cvl"))) == {est_du_loiret}
    assert permissions.peut(compte("chef-projet-est-loiret"), "modifier_territoire", est_du_loiret)
    assert not permissions.peut(compte("binome-est-loiret"), "modifier_territoire", est_du_loiret)
    assert permissions.peut(compte("binome-est-loiret"), "voir_contacts", est_du_loiret)
    assert permissions.peut(compte("equipe-nationale"), "gerer_habilitations")
    assert not Territoire.objects.du_perimetre(compte("porteur")).exists()
    assert compte("porteur").habilitations.get().siret == "91234567500017"
    assert not Territoire.objects.du_perimetre(compte("consultant")).exists()


def test_idempotent(est_du_loiret):
    premiere = creer_utilisateurs_demo()
    comptes = (Utilisateur.objects.count(), Habilitation.objects.count(), Journal.objects.count())
    assert creer_utilisateurs_demo() == premiere
    assert (Utilisateur.objects.count(), Habilitation.objects.count(), Journal.objects.count()) == comptes


def test_le_mot_de_passe_passe_les_validateurs(est_du_loiret):
    for email, mot_de_passe, _ in creer_utilisateurs_demo():
        validate_password(mot_de_passe, Utilisateur.objects.get(email=email))  # raises if refused


def test_on_se_connecte_avec_un_compte_de_demonstration(client, est_du_loiret):
    creer_utilisateurs_demo()
    reponse = client.post(
        reverse("comptes:connexion"), {"username": f"chef-projet-est-loiret@{DOMAINE}", "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(Utilisateur.objects.get(email=f"chef-projet-est-loiret@{DOMAINE}").pk)


def test_territoire_manquant_erreur_claire(cvl):
    with pytest.raises(DonneesManquantes, match="Est du Loiret.*import_territoires --phase 2"):
        creer_utilisateurs_demo()
    assert not Utilisateur.objects.exists()


def test_region_manquante_erreur_claire(db):
    with pytest.raises(DonneesManquantes, match="import_cog"):
        creer_utilisateurs_demo()


def test_les_comptes_a_double_facteur_ont_une_application_de_demonstration(est_du_loiret):
    comptes = creer_utilisateurs_demo()
    avec_code = {email.split("@")[0] for email, _, description in comptes if "double authentification" in description}
    assert avec_code == {"equipe-nationale", "instructeur-cvl", "admin"}
    creer_utilisateurs_demo()  # idempotent: still one device each
    assert TOTPDevice.objects.filter(confirmed=True).count() == 3
    assert len(secret_totp()) == 32 and "=" not in secret_totp()


def test_connexion_de_l_instructeur_de_demonstration_avec_le_code_du_moment(est_du_loiret):
    creer_utilisateurs_demo()
    sortie = StringIO()
    call_command("code_demo", stdout=sortie)
    email = f"instructeur-cvl@{DOMAINE}"
    code = re.search(rf"{re.escape(email)}\s+(\d{{6}})", sortie.getvalue()).group(1)
    navigateur = Client()
    navigateur.post(reverse("comptes:connexion"), {"username": email, "password": MOT_DE_PASSE})
    reponse = navigateur.post(reverse("comptes:double_facteur"), {"code": code})
    assert reponse["Location"] == reverse("espace:a_faire")
    assert navigateur.get(reverse("financements:file")).status_code == 200


def test_code_demo_sans_demonstration_erreur_claire(db):
    with pytest.raises(CommandError, match="charger_demo"):
        call_command("code_demo")
