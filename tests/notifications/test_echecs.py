"""The national team sees the sendings that failed; nobody else does."""

from django.urls import reverse
from django_q.models import OrmQ

from ti.core.travaux import differer, executer_en_attente

ECHECS = reverse("notifications:echecs")


def test_l_equipe_nationale_voit_les_envois_en_echec(
    client, equipe_nationale, settings, camille, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.EMAIL_BACKEND = "tests.financements.test_courriels_en_file.ServeurEnPanne"
    with django_capture_on_commit_callbacks(execute=True):
        differer("ti.comptes.notifications.compte_ouvert", camille.pk)
    executer_en_attente()
    client.force_login(equipe_nationale)

    with django_assert_max_num_queries(7):  # session, account, habilitations, OTP device, failures, 2 queue counts
        html = client.get(ECHECS).content.decode()

    assert "<td>Courriel d’ouverture de compte</td>" in html
    assert f"<td>{camille.pk}</td>" in html and "<td>1</td>" in html
    assert "SMTPServerDisconnected: Connexion au serveur SMTP perdue" in html
    assert "1 travail en cours ou en attente d’une nouvelle tentative." in html
    assert OrmQ.objects.count() == 1


def test_sans_echec_la_page_le_dit(client, equipe_nationale):
    client.force_login(equipe_nationale)
    assert "Aucun envoi en échec." in client.get(ECHECS).content.decode()


def test_les_autres_roles_n_y_ont_pas_acces(client, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert client.get(ECHECS).status_code == 403


def test_le_lien_n_apparait_qu_a_l_equipe_nationale(client, equipe_nationale, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert ECHECS not in client.get(reverse("notifications:liste")).content.decode()
    client.force_login(equipe_nationale)
    assert ECHECS in client.get(reverse("notifications:liste")).content.decode()
