"""Each person's choice: one e-mail per event, a daily digest, or none; the digest is sent once."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import Schedule

from ti.notifications import actions
from ti.notifications.courriels import envoyer_resume_quotidien
from ti.notifications.models import Frequence, Notification


def test_par_defaut_un_courriel_par_evenement(camille, dominique, notifier_depot, executer_travaux):
    assert notifier_depot(camille, dominique) == 2
    assert executer_travaux() == 2

    assert sorted(m.to[0] for m in mail.outbox) == [camille.email, dominique.email]
    assert mail.outbox[0].subject == "Nouveau dossier déposé : FV2024-24-00001"
    assert "Le dossier « Chaufferie biomasse » (Fonderie du Gâtinais (fictive), territoire Est du Loiret)" in (
        mail.outbox[0].body
    )
    assert "L’instruire : https://ti.exemple.gouv.fr/financements/dossiers/FV2024-24-00001/" in mail.outbox[0].body
    assert not Notification.objects.filter(courriel_envoye_le__isnull=True).exists()


def test_sans_courriel_la_notification_reste_sur_la_plateforme(camille, notifier_depot, executer_travaux):
    actions.choisir_frequence(par=camille, frequence=Frequence.AUCUN)
    notifier_depot(camille)

    assert executer_travaux() == 0 and mail.outbox == []
    assert envoyer_resume_quotidien() == 0
    camille.refresh_from_db()
    assert camille.notifications_non_lues == 1


def test_le_resume_quotidien_regroupe_les_notifications_une_seule_fois(
    camille, dominique, notifier_depot, executer_travaux
):
    actions.choisir_frequence(par=camille, frequence=Frequence.QUOTIDIEN)
    notifier_depot(camille, dominique, reference="FV2024-24-00001")
    notifier_depot(camille, reference="FV2024-24-00002")
    executer_travaux()
    assert [m.to for m in mail.outbox] == [[dominique.email]]  # only the one who wants each event
    mail.outbox.clear()

    assert envoyer_resume_quotidien() == 1

    (resume,) = mail.outbox
    assert resume.to == [camille.email]
    assert resume.subject == "Territoires d’industrie : 2 notifications depuis votre dernier résumé"
    assert "FV2024-24-00001" in resume.body and "FV2024-24-00002" in resume.body
    assert "/financements/dossiers/FV2024-24-00002/" in resume.body
    assert envoyer_resume_quotidien() == 0  # the scheduler and the cron command on the same day: sent once
    assert len(mail.outbox) == 1


def test_le_resume_omet_ce_qui_a_deja_ete_lu(camille, notifier_depot, executer_travaux):
    actions.choisir_frequence(par=camille, frequence=Frequence.QUOTIDIEN)
    notifier_depot(camille)
    actions.marquer_lues(par=camille, notifications=Notification.objects.all())

    assert envoyer_resume_quotidien() == 0 and mail.outbox == []


def test_une_adresse_en_echec_n_empeche_pas_les_autres_et_le_travail_echoue(
    camille, dominique, notifier_depot, monkeypatch
):
    for personne in (camille, dominique):
        actions.choisir_frequence(par=personne, frequence=Frequence.QUOTIDIEN)
    notifier_depot(camille, dominique)
    envoyer = mail.send_mail

    def envoyer_sauf_a_camille(sujet, corps, expediteur, destinataires, **options):
        if destinataires == [camille.email]:
            raise ConnectionError("Boîte refusée")
        return envoyer(sujet, corps, expediteur, destinataires, **options)

    monkeypatch.setattr("ti.notifications.courriels.send_mail", envoyer_sauf_a_camille)

    with pytest.raises(RuntimeError, match="1 résumé"):
        envoyer_resume_quotidien()  # the job fails: retried, and shown among the failures

    assert [m.to for m in mail.outbox] == [[dominique.email]]
    assert Notification.objects.get(destinataire=camille).courriel_envoye_le is None  # the retry will send it


def test_la_commande_du_resume_quotidien(camille, notifier_depot):
    actions.choisir_frequence(par=camille, frequence=Frequence.QUOTIDIEN)
    notifier_depot(camille)
    sortie = StringIO()

    call_command("envoyer_resume_quotidien", stdout=sortie)

    assert sortie.getvalue() == "1 résumé(s) envoyé(s).\n"
    assert [m.to for m in mail.outbox] == [[camille.email]]


def test_la_commande_du_resume_quotidien_signale_un_echec(camille, notifier_depot, settings):
    settings.EMAIL_BACKEND = "tests.financements.test_courriels_en_file.ServeurEnPanne"
    actions.choisir_frequence(par=camille, frequence=Frequence.QUOTIDIEN)
    notifier_depot(camille)

    with pytest.raises(CommandError, match="1 résumé"):
        call_command("envoyer_resume_quotidien", stdout=StringIO())


def test_le_resume_quotidien_est_planifie_dans_la_file(db):
    """The migration's step, run again (transactional tests empty the tables that migrations filled): once only."""
    migration = import_module("ti.notifications.migrations.0002_planification_resume_quotidien")
    Schedule.objects.all().delete()

    migration.planifier(django_apps, None)
    migration.planifier(django_apps, None)

    planifie = Schedule.objects.get()
    assert planifie.func == "ti.notifications.courriels.envoyer_resume_quotidien"
    assert planifie.schedule_type == Schedule.DAILY and planifie.repeats == -1
    assert timezone.localtime(planifie.next_run).hour == 7 and planifie.next_run > timezone.now()
