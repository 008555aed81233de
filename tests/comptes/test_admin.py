"""The Django admin of accounts and habilitations, for technical administrators."""

import pytest
from django.urls import reverse

from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import historique

from ..factories import UtilisateurFactory


@pytest.fixture
def admin_technique(db):
    return Utilisateur.objects.create_superuser("admin@exemple.gouv.fr", "Admin-Technique-2026")


@pytest.fixture
def connecte(client, admin_technique):
    client.force_login(admin_technique)
    return client


def test_listes_et_fiches_en_requetes_bornees(
    connecte, chef_projet_cvl, instructeur_cvl, porteur, django_assert_max_num_queries
):
    for url in (
        reverse("admin:comptes_utilisateur_changelist"),
        reverse("admin:comptes_utilisateur_add"),
        reverse("admin:comptes_utilisateur_change", args=[chef_projet_cvl.pk]),
        reverse("admin:comptes_habilitation_changelist"),
        reverse("admin:comptes_habilitation_add"),
        reverse("admin:comptes_habilitation_change", args=[instructeur_cvl.habilitations.get().pk]),
    ):
        with django_assert_max_num_queries(20):
            assert connecte.get(url).status_code == 200, url


def test_creation_d_un_compte_par_l_adresse(connecte):
    reponse = connecte.post(
        reverse("admin:comptes_utilisateur_add"),
        {"email": "Nouvel.Agent@Exemple.gouv.fr", "prenom": "Nouvel", "nom": "Agent", "usable_password": "false"},
    )
    assert reponse.status_code == 302, reponse.context["adminform"].form.errors
    assert Utilisateur.objects.filter(email="nouvel.agent@exemple.gouv.fr").exists()


def test_premiere_habilitation_nationale_accordee_par_l_administrateur_et_journalisee(connecte, admin_technique):
    agent = UtilisateurFactory()
    reponse = connecte.post(
        reverse("admin:comptes_habilitation_add"), {"utilisateur": agent.pk, "role": Role.EQUIPE_NATIONALE}
    )
    assert reponse.status_code == 302
    habilitation = agent.habilitations.get()
    assert habilitation.accordee_par == admin_technique
    assert historique(habilitation).get().acteur == admin_technique


def test_l_administrateur_ne_s_accorde_rien(connecte, admin_technique):
    reponse = connecte.post(
        reverse("admin:comptes_habilitation_add"), {"utilisateur": admin_technique.pk, "role": Role.EQUIPE_NATIONALE}
    )
    assert reponse.status_code == 200
    assert "Personne ne peut s’accorder une habilitation à soi-même" in reponse.content.decode()
    assert not Habilitation.objects.exists()


def test_une_habilitation_ne_se_modifie_ni_ne_se_supprime_dans_l_admin(connecte, instructeur_cvl, bretagne):
    habilitation = instructeur_cvl.habilitations.get()
    connecte.post(
        reverse("admin:comptes_habilitation_change", args=[habilitation.pk]),
        {"utilisateur": instructeur_cvl.pk, "role": Role.INSTRUCTEUR, "region": "53"},
    )
    assert connecte.get(reverse("admin:comptes_habilitation_delete", args=[habilitation.pk])).status_code == 403
    habilitation.refresh_from_db()
    assert habilitation.region_id == "24"


def test_perimetre_incoherent_refuse_dans_l_admin(connecte):
    agent = UtilisateurFactory()
    reponse = connecte.post(
        reverse("admin:comptes_habilitation_add"), {"utilisateur": agent.pk, "role": Role.INSTRUCTEUR}
    )
    assert "Ce rôle s’exerce sur une région" in reponse.content.decode()
    assert not Habilitation.objects.exists()


def test_un_membre_du_personnel_sans_droit_n_y_entre_pas(client, db):
    personnel = UtilisateurFactory(is_staff=True)
    client.force_login(personnel)
    assert client.get(reverse("admin:comptes_habilitation_changelist")).status_code == 403
