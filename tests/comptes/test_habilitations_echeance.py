"""Habilitations with an end date: the last day included, nothing granted from the day after."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from ti.comptes import permissions
from ti.comptes.models import Habilitation, Role
from ti.core.models import historique
from ti.territoires.models import Territoire

from ..factories import HabilitationFactory

PARIS = ZoneInfo("Europe/Paris")


def le(jour: date, heure: int = 10):
    return time_machine.travel(datetime(jour.year, jour.month, jour.day, heure, tzinfo=PARIS), tick=False)


@pytest.fixture
def instructeur_jusqu_au_30_juin(cvl, territoire_cvl):
    return HabilitationFactory(role=Role.INSTRUCTEUR, region=cvl, valable_jusqu_au=date(2027, 6, 30)).utilisateur


def test_une_habilitation_echue_hier_ne_donne_plus_rien(instructeur_jusqu_au_30_juin, territoire_cvl):
    with le(date(2027, 7, 1), heure=0):  # the first minutes of the day after
        assert not Habilitation.objects.actives().filter(utilisateur=instructeur_jusqu_au_30_juin).exists()
        assert permissions.roles(instructeur_jusqu_au_30_juin) == set()
        assert not Territoire.objects.du_perimetre(instructeur_jusqu_au_30_juin).exists()
        assert not instructeur_jusqu_au_30_juin.habilitations.get().active


def test_le_dernier_jour_est_inclus(instructeur_jusqu_au_30_juin, territoire_cvl):
    with le(date(2027, 6, 30), heure=23):
        assert permissions.roles(instructeur_jusqu_au_30_juin) == {Role.INSTRUCTEUR}
        assert list(Territoire.objects.du_perimetre(instructeur_jusqu_au_30_juin)) == [territoire_cvl]


def test_la_session_perd_les_droits_le_lendemain(client, instructeur_jusqu_au_30_juin):
    with le(date(2027, 6, 30), heure=9):
        client.force_login(instructeur_jusqu_au_30_juin)
    with le(date(2027, 7, 1), heure=9):
        client.force_login(instructeur_jusqu_au_30_juin)  # a new login: the session expired overnight
        assert client.get(reverse("financements:file")).status_code == 403
        assert "Aucune habilitation active" in client.get(reverse("comptes:mon_espace")).content.decode()


def test_accorder_avec_une_date_de_fin(
    client, equipe_nationale, sans_habilitation, cvl, django_capture_on_commit_callbacks, executer_travaux
):
    with le(date(2027, 1, 15)):
        client.force_login(equipe_nationale)
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(
                reverse("comptes:accorder", args=[sans_habilitation.pk]),
                {"role": Role.INSTRUCTEUR, "region": "24", "valable_jusqu_au": "2027-06-30", "motif": "Intérim"},
            )
    with le(date(2027, 1, 16)):
        executer_travaux()  # later on: the worker takes the jobs whose time has come
    assert reponse.status_code == 302
    habilitation = sans_habilitation.habilitations.get()
    assert habilitation.valable_jusqu_au == date(2027, 6, 30)
    assert historique(habilitation).get().details["valable_jusqu_au"] == "2027-06-30"
    assert "Valable jusqu’au : 30 juin 2027 inclus" in mail.outbox[0].body


def test_une_date_de_fin_passee_est_refusee(client, equipe_nationale, sans_habilitation, cvl):
    with le(date(2027, 1, 15)):
        client.force_login(equipe_nationale)
        reponse = client.post(
            reverse("comptes:accorder", args=[sans_habilitation.pk]),
            {"role": Role.INSTRUCTEUR, "region": "24", "valable_jusqu_au": "2027-01-14"},
        )
    assert reponse.status_code == 200
    assert "Cette date est passée" in reponse.content.decode()
    assert not sans_habilitation.habilitations.exists()


def test_une_habilitation_echue_peut_etre_accordee_de_nouveau(client, equipe_nationale, instructeur_jusqu_au_30_juin):
    with le(date(2027, 7, 2)):
        client.force_login(equipe_nationale)
        reponse = client.post(
            reverse("comptes:accorder", args=[instructeur_jusqu_au_30_juin.pk]),
            {"role": Role.INSTRUCTEUR, "region": "24"},
        )
        assert reponse.status_code == 302
        assert permissions.roles(instructeur_jusqu_au_30_juin) == {Role.INSTRUCTEUR}
        page = client.get(reverse("comptes:utilisateur", args=[instructeur_jusqu_au_30_juin.pk])).content.decode()
    assert "échue après le 30 juin 2027" in page
