"""Reminders: the registered people of the events starting within 48 hours, once each, never the waiting list."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from ti.animation import actions
from ti.animation.notifications import rappeler_evenements
from ti.comptes.models import Role
from ti.notifications.models import Notification, Type

from ..factories import utilisateur_avec
from .conftest import creer_evenement


def test_un_rappel_par_inscrit_dans_les_48_heures(
    equipe_nationale, territoire_cvl, executer_travaux, django_capture_on_commit_callbacks, capsys
):
    demain = timezone.now() + timedelta(days=1)
    proche = creer_evenement(
        equipe_nationale, titre="Demain", capacite=2, debut=demain, cloture_inscriptions=demain - timedelta(hours=1)
    )
    lointain = creer_evenement(equipe_nationale, titre="Dans dix jours")
    chefs = [utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl) for _ in range(3)]
    for chef in chefs:  # the third waits
        actions.inscrire(evenement=proche, par=chef)
    actions.inscrire(evenement=lointain, par=chefs[2])

    with django_capture_on_commit_callbacks(execute=True):
        assert rappeler_evenements() == 2
    executer_travaux()
    rappels = Notification.objects.filter(type=Type.RAPPEL_EVENEMENT)
    assert set(rappels.values_list("destinataire", flat=True)) == {chefs[0].pk, chefs[1].pk}
    assert rappels.first().texte.startswith("Rappel : « Demain » le ")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chefs[0].email, chefs[1].email])
    assert "Lieu : Orléans" in mail.outbox[0].body

    call_command("rappeler_evenements")  # once each
    assert capsys.readouterr().out.strip() == "0 rappel(s) envoyé(s)."
    assert rappels.count() == 2


def test_les_rappels_sont_planifies_chaque_heure(db):
    planification = Schedule.objects.get(name="Rappels des événements du réseau")
    assert planification.func == "ti.animation.notifications.rappeler_evenements"
    assert planification.schedule_type == Schedule.HOURLY
