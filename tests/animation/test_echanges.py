"""The network's space: its members ask and answer, the author is told of each answer; nobody else sees it (404)."""

import pytest
from django.urls import reverse

from tests.html import lire
from ti.animation.models import Fil, Reponse
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.notifications.models import Notification, Type

from ..factories import utilisateur_avec

JETON = "jeton-de-test-0123456789"


def _poser(client, **champs):
    donnees = {"theme": "decarbonation", "titre": "Qui a chiffré un réseau de chaleur ?", "texte": "Ligne 1\nLigne 2"}
    return client.post(reverse("animation:nouveau_fil"), {**donnees, **champs})


def test_une_question_une_reponse_une_notification(
    client, chef_projet_cvl, binome_bretagne, executer_travaux, django_capture_on_commit_callbacks
):
    client.force_login(chef_projet_cvl)
    reponse = _poser(client, jeton_envoi=JETON)
    fil = Fil.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == fil.get_absolute_url()
    assert _poser(client, jeton_envoi=JETON).status_code == 302  # sent twice: one thread
    assert Fil.objects.count() == 1 and Journal.objects.filter(action="animation.fil_ouvert").count() == 1

    client.force_login(binome_bretagne)
    assert "Qui a chiffré un réseau de chaleur ?" in client.get(reverse("animation:fils")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            fil.get_absolute_url(), {"texte": "Oui, c'est fait à Lorient : 1,2 M€.", "jeton_envoi": "autre-" + JETON}
        )
    executer_travaux()

    notification = Notification.objects.get()
    assert notification.destinataire == chef_projet_cvl and notification.type == Type.REPONSE_RESEAU
    assert notification.lien == Reponse.objects.get().get_absolute_url()
    assert "a répondu à votre question « Qui a chiffré un réseau de chaleur ? »" in notification.texte
    assert "Oui, c'est fait à Lorient : 1,2 M€." in notification.corps  # plain text: not HTML-escaped

    client.force_login(chef_projet_cvl)
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "<p>Ligne 1<br>\nLigne 2</p>" in page and "Oui, c'est fait à Lorient" in page


def test_repondre_a_sa_propre_question_ne_notifie_pas(
    client, chef_projet_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    client.force_login(chef_projet_cvl)
    _poser(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(Fil.objects.get().get_absolute_url(), {"texte": "Précision : 40 GWh."})
    executer_travaux()
    assert Reponse.objects.count() == 1 and not Notification.objects.exists()


def test_formulaires_incomplets_expliques(client, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    reponse = _poser(client, titre="", theme="inconnu")
    assert reponse.status_code == 200 and not Fil.objects.exists()
    page = reponse.content.decode()
    assert "Ce champ est obligatoire." in page and "Sélectionnez un choix valide." in page
    _poser(client)
    reponse = client.post(Fil.objects.get().get_absolute_url(), {"texte": ""})
    assert reponse.status_code == 200 and "Ce champ est obligatoire." in reponse.content.decode()
    assert not Reponse.objects.exists()


@pytest.mark.parametrize("role", [Role.PORTEUR, Role.CONSULTANT])
def test_hors_reseau_l_espace_n_existe_pas(client, chef_projet_cvl, role):
    client.force_login(chef_projet_cvl)
    _poser(client)
    fil = Fil.objects.get()
    client.force_login(utilisateur_avec(role, siret="91234567500017", organisme="Forges"))
    for url in (reverse("animation:fils"), fil.get_absolute_url(), reverse("animation:nouveau_fil")):
        assert client.get(url).status_code == 404
    assert client.post(fil.get_absolute_url(), {"texte": "Spam"}).status_code == 404
    assert _poser(client).status_code == 404
    assert Fil.objects.count() == 1 and not Reponse.objects.exists()


def test_anonyme_renvoye_a_la_connexion(client, chef_projet_cvl):
    for url in (reverse("animation:fils"), reverse("animation:nouveau_fil")):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reverse("comptes:connexion") in reponse["Location"]


@pytest.mark.parametrize(
    "role_et_perimetre",
    ["equipe_nationale", "instructeur_cvl", "expert_ademe_cvl", "referent_region_cvl", "binome_cvl"],
)
def test_tout_le_reseau_echange(client, chef_projet_cvl, role_et_perimetre, request):
    client.force_login(chef_projet_cvl)
    _poser(client)
    client.force_login(request.getfixturevalue(role_et_perimetre))
    fil = Fil.objects.get()
    reponse = client.get(fil.get_absolute_url())
    assert reponse.status_code == 200
    page = lire(reponse)
    assert page.h1() == "Qui a chiffré un réseau de chaleur ?"
    assert "Ligne 1" in page.texte
    assert client.post(fil.get_absolute_url(), {"texte": "Réponse"}).status_code == 302
    assert "Réponse" in lire(client.get(fil.get_absolute_url())).texte


def test_par_theme_et_requetes_bornees(client, chef_projet_cvl, binome_bretagne, django_assert_max_num_queries):
    client.force_login(chef_projet_cvl)
    for i in range(12):
        _poser(client, titre=f"Question {i}", theme="foncier" if i % 2 else "decarbonation")
    fil = Fil.objects.filter(theme="foncier").first()
    client.force_login(binome_bretagne)
    for i in range(10):
        client.post(fil.get_absolute_url(), {"texte": f"Réponse {i}"})
    with django_assert_max_num_queries(10):
        page = client.get(reverse("animation:fils"), {"theme": "foncier"}).content.decode()
    assert page.count("Question ") == 6 and "sans réponse" in page
    with django_assert_max_num_queries(12):
        page = client.get(fil.get_absolute_url()).content.decode()
    assert page.count("Réponse de ") == 10
