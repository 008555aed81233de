"""Moderation of the network's space: hide a message with its reason, report a message, lock a thread; each
journalled; the national team everywhere, a Conseil régional referent in his région's threads, nobody else."""

import pytest
from django.urls import reverse

from ti.animation import actions_echanges as actions
from ti.animation.models import Reponse, Signalement
from ti.comptes import permissions
from ti.comptes.models import Role, Utilisateur
from ti.core.models import Journal
from ti.notifications.models import Notification, Type

from ..factories import utilisateur_avec
from .conftest import ouvrir_fil


@pytest.fixture
def fil(chef_projet_cvl, cvl):
    return ouvrir_fil(chef_projet_cvl, region=cvl)


@pytest.fixture
def reponse(fil, binome_bretagne):
    return actions.repondre(fil=fil, par=binome_bretagne, texte="Achetez nos études : remise de 50 % !")


def masquer(client, fil, reponse=None, motif="Publicité commerciale"):
    if reponse is None:
        return client.post(reverse("animation:masquer_question", args=[fil.pk]), {"motif": motif})
    return client.post(reverse("animation:masquer_reponse", args=[fil.pk, reponse.pk]), {"motif": motif})


def test_un_message_masque_montre_le_motif_et_est_journalise(client, fil, reponse, referent_region_cvl):
    client.force_login(referent_region_cvl)
    resultat = masquer(client, fil, reponse)
    assert resultat["Location"] == reponse.get_absolute_url()
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "Message masqué par la modération : Publicité commerciale" in page
    assert "remise de 50 %" not in page
    journal = Journal.objects.get(action="animation.message_masque")
    assert journal.acteur == referent_region_cvl and journal.motif == "Publicité commerciale"
    assert journal.objet_id == str(reponse.pk) and journal.details == {"fil": fil.pk}


def test_la_question_aussi_se_masque(client, fil, equipe_nationale):
    client.force_login(equipe_nationale)
    masquer(client, fil, motif="Données personnelles")
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "Message masqué par la modération : Données personnelles" in page and "Quel budget prévoir" not in page
    assert Journal.objects.filter(action="animation.message_masque", objet_id=str(fil.pk)).exists()


def test_masquer_sans_motif_ou_deux_fois_est_refuse(client, fil, reponse, equipe_nationale):
    client.force_login(equipe_nationale)
    page = client.get(masquer(client, fil, reponse, motif="  ")["Location"]).content.decode()
    assert "Indiquez un motif" in page and not Reponse.objects.get().masque
    masquer(client, fil, reponse)
    page = client.get(masquer(client, fil, reponse)["Location"]).content.decode()
    assert "Ce message est déjà masqué." in page
    assert Journal.objects.filter(action="animation.message_masque").count() == 1


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("equipe_nationale", 302),
        ("referent_region_cvl", 302),
        ("referent_region_bretagne", 403),  # another région's thread
        ("instructeur_cvl", 403),
        ("expert_ademe_cvl", 403),
        ("chef_projet_cvl", 403),
        ("binome_cvl", 403),
    ],
)
def test_qui_modere_role_par_role(client, fil, reponse, role, attendu, request):
    client.force_login(request.getfixturevalue(role))
    assert masquer(client, fil, reponse).status_code == attendu
    verrou = client.post(reverse("animation:verrouiller_fil", args=[fil.pk]), {"verrouille": "1"})
    assert verrou.status_code == attendu
    assert Journal.objects.filter(action__in=["animation.message_masque", "animation.fil_verrouille"]).count() == (
        2 if attendu == 302 else 0
    )


def test_un_fil_du_reseau_national_est_modere_par_l_equipe_nationale_seule(
    client, chef_projet_cvl, referent_region_cvl, equipe_nationale
):
    fil = ouvrir_fil(chef_projet_cvl)  # no région
    client.force_login(referent_region_cvl)
    assert masquer(client, fil).status_code == 403
    assert "Masquer ce message" not in client.get(fil.get_absolute_url()).content.decode()
    client.force_login(equipe_nationale)
    assert "Masquer ce message" in client.get(fil.get_absolute_url()).content.decode()


def test_un_fil_verrouille_refuse_les_reponses_en_francais(client, fil, referent_region_cvl, binome_bretagne):
    client.force_login(referent_region_cvl)
    client.post(reverse("animation:verrouiller_fil", args=[fil.pk]), {"verrouille": "1", "motif": "Résolu"})
    journal = Journal.objects.get(action="animation.fil_verrouille")
    assert journal.motif == "Résolu" and journal.acteur == referent_region_cvl

    client.force_login(binome_bretagne)
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "Ce fil est verrouillé par la modération : il n’accepte plus de réponses." in page
    assert "Publier ma réponse" not in page
    reponse = client.post(fil.get_absolute_url(), {"texte": "Ma réponse longuement écrite"})
    page = reponse.content.decode()
    assert reponse.status_code == 200 and not Reponse.objects.exists()
    assert "Ce fil est verrouillé par la modération : il n’accepte plus de réponses." in page
    assert "Ma réponse longuement écrite" in page  # nothing lost
    with pytest.raises(actions.Refus, match="verrouillé"):
        actions.repondre(fil=fil, par=binome_bretagne, texte="Par l’action")

    client.force_login(referent_region_cvl)
    client.post(reverse("animation:verrouiller_fil", args=[fil.pk]), {"verrouille": "0"})
    assert Journal.objects.filter(action="animation.fil_deverrouille").exists()
    actions.repondre(fil=fil, par=binome_bretagne, texte="Rouvert")


def test_tout_membre_signale_un_message_une_fois_et_les_moderateurs_sont_prevenus(
    client,
    fil,
    reponse,
    binome_cvl,
    equipe_nationale,
    referent_region_cvl,
    referent_region_bretagne,
    executer_travaux,
    django_capture_on_commit_callbacks,
):
    client.force_login(binome_cvl)
    url = reverse("animation:signaler_reponse", args=[fil.pk, reponse.pk])
    with django_capture_on_commit_callbacks(execute=True):
        resultat = client.post(url, {"motif": "Démarchage commercial"})
    assert "Merci : le message est signalé" in client.get(resultat["Location"]).content.decode()
    signalement = Signalement.objects.get()
    assert (signalement.reponse, signalement.par, signalement.motif) == (reponse, binome_cvl, "Démarchage commercial")
    journal = Journal.objects.get(action="animation.message_signale")
    assert journal.objet_id == str(reponse.pk) and journal.motif == "Démarchage commercial"
    executer_travaux()
    prevenus = set(Notification.objects.filter(type=Type.SIGNALEMENT_RESEAU).values_list("destinataire", flat=True))
    assert prevenus == {equipe_nationale.pk, referent_region_cvl.pk}  # not the referent of another région
    assert "Démarchage commercial" in Notification.objects.filter(type=Type.SIGNALEMENT_RESEAU).first().corps

    page = client.get(client.post(url, {"motif": "Encore"})["Location"]).content.decode()
    assert "Vous avez déjà signalé ce message : la modération l’examine." in page
    assert Signalement.objects.count() == 1
    client.post(reverse("animation:signaler_question", args=[fil.pk]), {"motif": "Hors sujet"})
    assert Signalement.objects.filter(reponse=None).count() == 1


def test_signaler_sans_motif_n_enregistre_rien(client, fil, reponse, binome_cvl):
    client.force_login(binome_cvl)
    resultat = client.post(reverse("animation:signaler_reponse", args=[fil.pk, reponse.pk]), {"motif": ""})
    assert "Indiquez un motif" in client.get(resultat["Location"]).content.decode()
    assert not Signalement.objects.exists()


def test_une_reponse_d_un_autre_fil_est_introuvable(client, fil, reponse, chef_projet_cvl, equipe_nationale):
    autre = ouvrir_fil(chef_projet_cvl, titre="Autre question")
    client.force_login(equipe_nationale)
    assert masquer(client, autre, reponse).status_code == 404
    signaler = reverse("animation:signaler_reponse", args=[autre.pk, reponse.pk])
    assert client.post(signaler, {"motif": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["porteur", "consultant", "anonyme"])
def test_hors_reseau_les_gestes_n_existent_pas(client, fil, reponse, role):
    if role != "anonyme":
        client.force_login(utilisateur_avec(Role(role), siret="91234567500017", organisme="Forges"))
    urls = [
        reverse("animation:suivre_fil", args=[fil.pk]),
        reverse("animation:verrouiller_fil", args=[fil.pk]),
        reverse("animation:signaler_question", args=[fil.pk]),
        reverse("animation:signaler_reponse", args=[fil.pk, reponse.pk]),
        reverse("animation:masquer_question", args=[fil.pk]),
        reverse("animation:masquer_reponse", args=[fil.pk, reponse.pk]),
    ]
    for url in urls:
        statut = client.post(url, {"motif": "x", "suivi": "1", "verrouille": "1"}).status_code
        assert statut == (302 if role == "anonyme" else 404)
    piece_jointe = client.get(reverse("animation:piece_jointe_question", args=[fil.pk])).status_code
    assert piece_jointe == (302 if role == "anonyme" else 404)
    assert not Signalement.objects.exists()
    assert not Journal.objects.filter(action__startswith="animation.message").exists()
    assert fil.abonnements.count() == 2  # the author and the one who replied, nobody more


def test_la_regle_de_moderation_et_les_membres_du_reseau(
    equipe_nationale, referent_region_cvl, instructeur_cvl, chef_projet_cvl, binome_bretagne
):
    assert [permissions.peut(u, "moderer_echanges") for u in (equipe_nationale, referent_region_cvl, instructeur_cvl,
            chef_projet_cvl)] == [True, True, False, False]  # fmt: skip
    porteur = utilisateur_avec(Role.PORTEUR, siret="91234567500017")
    Utilisateur.objects.filter(pk=binome_bretagne.pk).update(is_active=False)
    membres = set(Utilisateur.objects.filter(permissions.q_membres_du_reseau()).values_list("pk", flat=True))
    assert membres == {equipe_nationale.pk, referent_region_cvl.pk, instructeur_cvl.pk, chef_projet_cvl.pk}
    assert porteur.pk not in membres
