"""The « Notifications » page, its badge in the header, marking read, and the choice of e-mails."""

import re

from django.urls import reverse

from ti.notifications import actions
from ti.notifications.models import Frequence, Notification

LISTE = reverse("notifications:liste")


def badge(html: str) -> str | None:
    """The unread count shown next to « Notifications » in the header, if any."""
    trouve = re.search(r'href="/notifications/">Notifications&nbsp;<span class="fr-badge[^"]*">(\d+)', html)
    return trouve and trouve.group(1)


def test_la_pastille_compte_les_non_lues(client, camille, notifier_depot):
    notifier_depot(camille, reference="FV2024-24-00001")
    notifier_depot(camille, reference="FV2024-24-00002")
    client.force_login(camille)

    html = client.get(reverse("territoires:liste")).content.decode()

    assert badge(html) == "2"
    assert '2<span class="fr-sr-only"> non lues</span>' in html


def test_sans_notification_pas_de_pastille(client, camille):
    client.force_login(camille)
    html = client.get(reverse("territoires:liste")).content.decode()
    assert 'href="/notifications/">Notifications</a>' in html and badge(html) is None


def test_la_page_liste_mes_notifications_et_pas_celles_des_autres(client, camille, dominique, notifier_depot):
    notifier_depot(camille, reference="FV2024-24-00001")
    notifier_depot(dominique, reference="FV2024-24-00002")
    client.force_login(camille)

    html = client.get(LISTE).content.decode()

    assert '<a href="/financements/dossiers/FV2024-24-00001/">Nouveau dossier déposé : FV2024-24-00001</a>' in html
    assert "FV2024-24-00002" not in html
    assert "1 notification non lue." in html


def test_la_page_en_requetes_bornees(client, camille, notifier_depot, django_assert_max_num_queries):
    for numero in range(40):
        notifier_depot(camille, reference=f"FV2024-24-{numero:05}")
    client.force_login(camille)

    with django_assert_max_num_queries(6):  # session, account, habilitations, preference, count, page
        reponse = client.get(LISTE)

    assert reponse.content.decode().count('<a href="/financements/dossiers/FV2024-24-') == 30


def test_marquer_une_notification_comme_lue(client, camille, notifier_depot):
    notifier_depot(camille, reference="FV2024-24-00001")
    notifier_depot(camille, reference="FV2024-24-00002")
    premiere = Notification.objects.get(texte__endswith="00001")
    client.force_login(camille)

    reponse = client.post(reverse("notifications:marquer_lue", args=[premiere.pk]), follow=True)

    premiere.refresh_from_db()
    assert premiere.lue_le is not None
    assert Notification.objects.get(texte__endswith="00002").lue_le is None
    html = reponse.content.decode()
    assert "marquée comme lue" in html and badge(html) == "1"


def test_la_notification_d_un_autre_est_introuvable(client, camille, dominique, notifier_depot):
    notifier_depot(dominique)
    client.force_login(camille)

    reponse = client.post(reverse("notifications:marquer_lue", args=[Notification.objects.get().pk]))

    assert reponse.status_code == 404
    assert Notification.objects.get().lue_le is None


def test_marquer_lue_exige_un_envoi_de_formulaire(client, camille, notifier_depot):
    notifier_depot(camille)
    client.force_login(camille)

    assert client.get(reverse("notifications:marquer_lue", args=[Notification.objects.get().pk])).status_code == 405
    assert Notification.objects.get().lue_le is None


def test_tout_marquer_comme_lu_ne_touche_que_les_miennes(client, camille, dominique, notifier_depot):
    notifier_depot(camille, dominique)
    notifier_depot(camille)
    client.force_login(camille)

    html = client.post(reverse("notifications:tout_marquer_lu"), follow=True).content.decode()

    assert "2 notifications marquées comme lues." in html and badge(html) is None
    assert Notification.objects.non_lues().get().destinataire == dominique
    camille.refresh_from_db()
    dominique.refresh_from_db()
    assert (camille.notifications_non_lues, dominique.notifications_non_lues) == (0, 1)


def test_choisir_le_resume_quotidien(client, camille):
    client.force_login(camille)
    assert 'value="chaque" id="id_frequence_0" required checked>' in client.get(LISTE).content.decode()

    reponse = client.post(LISTE, {"frequence": Frequence.QUOTIDIEN}, follow=True)

    assert "Votre choix de courriels est enregistré." in reponse.content.decode()
    assert actions.frequence(camille) == Frequence.QUOTIDIEN


def test_un_choix_inconnu_est_refuse_en_francais(client, camille):
    client.force_login(camille)

    reponse = client.post(LISTE, {"frequence": "hebdomadaire"})

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "<title>Erreur — Notifications" in html and "Sélectionnez un choix valide" in html
    assert actions.frequence(camille) == Frequence.CHAQUE


def test_la_page_demande_de_se_connecter(client, db):
    reponse = client.get(LISTE)
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))
