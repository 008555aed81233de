"""The job queue: queued after commit, run by the worker's rules, retried, and a failure never lost."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Success

from ti.core.travaux import differer, executer_en_attente

ECHECS_AVANT_REUSSITE = {"restants": 0}


def travail_qui_reussit(a, b, *, c):
    return a + b + c


def travail_qui_echoue():
    raise ConnectionError("Serveur de courriel injoignable")


def travail_qui_echoue_puis_reussit():
    if ECHECS_AVANT_REUSSITE["restants"]:
        ECHECS_AVANT_REUSSITE["restants"] -= 1
        raise ConnectionError("Serveur de courriel injoignable")
    return "envoyé"


def delai_de_reprise_ecoule():
    """What waiting `Q_CLUSTER["retry"]` seconds does: the job taken by a worker that failed is free again."""
    OrmQ.objects.update(lock=timezone.now() - timedelta(seconds=1))


def test_le_travail_n_est_mis_en_file_qu_a_la_validation(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        differer("tests.core.test_travaux.travail_qui_reussit", 1, 2, c=3)
        assert not OrmQ.objects.exists()

    assert OrmQ.objects.count() == 1
    assert executer_en_attente() == 1
    succes = Success.objects.get()
    assert (succes.result, succes.func, succes.group) == (6, "tests.core.test_travaux.travail_qui_reussit", succes.func)
    assert not OrmQ.objects.exists()


def test_rien_n_est_mis_en_file_si_la_transaction_est_annulee(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        differer("tests.core.test_travaux.travail_qui_reussit", 1, 2, c=3)
        raise RuntimeError("Une règle a refusé le changement")

    assert not OrmQ.objects.exists()


def test_une_fonction_inconnue_est_refusee_a_l_appel(db):
    with pytest.raises(ValueError, match="introuvable"):
        differer("tests.core.test_travaux.travail_qui_n_existe_pas")


def test_les_arguments_reserves_a_la_file_sont_refuses(db):
    with pytest.raises(ValueError, match="timeout"):
        differer("tests.core.test_travaux.travail_qui_reussit", 1, 2, c=3, timeout=5)


def test_un_travail_en_echec_est_repris_puis_garde_en_echec(db, django_capture_on_commit_callbacks):
    assert Conf.MAX_ATTEMPTS > 1
    with django_capture_on_commit_callbacks(execute=True):
        differer("tests.core.test_travaux.travail_qui_echoue")

    assert executer_en_attente() == 1
    echec = Failure.objects.get()
    assert echec.attempt_count == 1 and "Serveur de courriel injoignable" in echec.result
    assert OrmQ.objects.count() == 1  # still queued, for a later attempt
    assert executer_en_attente() == 0  # not before the retry delay

    for tentative in range(2, Conf.MAX_ATTEMPTS + 1):
        delai_de_reprise_ecoule()
        assert executer_en_attente() == 1
        assert Failure.objects.get().attempt_count == tentative

    assert not OrmQ.objects.exists()  # the attempts are spent: out of the queue, kept in the failures
    assert Failure.objects.get().attempt_count == Conf.MAX_ATTEMPTS


def test_un_travail_repris_qui_reussit_n_est_plus_en_echec(db, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setitem(ECHECS_AVANT_REUSSITE, "restants", 1)
    with django_capture_on_commit_callbacks(execute=True):
        differer("tests.core.test_travaux.travail_qui_echoue_puis_reussit")

    executer_en_attente()
    assert Failure.objects.count() == 1
    delai_de_reprise_ecoule()
    executer_en_attente()

    assert not Failure.objects.exists() and not OrmQ.objects.exists()
    assert Success.objects.get().attempt_count == 2
