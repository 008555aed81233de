"""E-mails go through the job queue: a broken mail server never turns a saved change into an error page."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_q.models import Failure, OrmQ

from ti.financements.models import Message
from ti.notifications.models import Notification, Type

from ..factories import DossierFactory


class ServeurEnPanne(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connexion au serveur SMTP perdue")


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)


def test_serveur_de_courriel_en_panne_le_message_est_enregistre_et_le_courriel_repris(
    client, settings, dossier_cvl, porteur, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    settings.EMAIL_BACKEND = "tests.financements.test_courriels_en_file.ServeurEnPanne"
    client.force_login(porteur)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("financements:message", args=[dossier_cvl.reference]), {"texte": "Le devis"})
    executer_travaux()

    assert reponse.status_code == 302  # the message is saved and the porteur told so, whatever the mail server
    assert Message.objects.filter(dossier=dossier_cvl, texte="Le devis").exists()
    notification = Notification.objects.get(destinataire=instructeur_cvl)
    assert notification.type == Type.MESSAGE and notification.courriel_envoye_le is None
    echec = Failure.objects.get(func="ti.notifications.courriels.envoyer")
    assert "Connexion au serveur SMTP perdue" in echec.result
    assert OrmQ.objects.count() == 1  # kept for the next attempt

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    OrmQ.objects.update(lock=timezone.now() - timedelta(seconds=1))  # the retry delay has passed
    executer_travaux()

    assert [m.to for m in mail.outbox] == [[instructeur_cvl.email]]
    assert "Le devis" in mail.outbox[0].body and dossier_cvl.get_absolute_url() in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.courriel_envoye_le is not None
    assert not OrmQ.objects.exists() and not Failure.objects.exists()


def test_un_courriel_deja_envoye_ne_part_pas_deux_fois(
    dossier_cvl, porteur, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    from ti.core.travaux import differer
    from ti.financements import notifications

    with django_capture_on_commit_callbacks(execute=True):
        notifications.message(Message.objects.create(dossier=dossier_cvl, auteur=porteur, texte="Bonjour").pk)
    notification = Notification.objects.get(destinataire=instructeur_cvl)
    assert executer_travaux() == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        differer("ti.notifications.courriels.envoyer", notification.pk)  # a retry after a lost acknowledgement
    assert executer_travaux() == 1

    assert len(mail.outbox) == 1


def test_la_demande_de_complements_est_notifiee_au_porteur(
    dossier_cvl, porteur, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    from ti.financements.actions import instruction as actions

    with django_capture_on_commit_callbacks(execute=True):
        actions.declarer_incomplet(
            dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, motif="Il manque le Kbis."
        )
    executer_travaux()

    notification = Notification.objects.get()
    assert (notification.destinataire, notification.type) == (porteur, Type.CORRECTION_DEMANDEE)
    assert notification.texte == f"Votre dossier {dossier_cvl.reference} est incomplet"
    assert notification.lien == dossier_cvl.get_absolute_url()
    assert "Il manque le Kbis." in notification.corps and notification.courriel_envoye_le is not None
