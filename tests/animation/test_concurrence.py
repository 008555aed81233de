"""Concurrent registrations never take more seats than the event has.

On PostgreSQL each registration runs in its own thread with its own connection, released together by a barrier, so
that the row lock on the event is what serialises them. SQLite has one writer at a time: there the same registrations
run one after the other, and the same counts are asserted."""

import threading

import pytest
from django.db import connection

from tests.concurrence import en_meme_temps
from ti.animation import actions
from ti.animation.models import Inscription, StatutInscription
from ti.comptes.models import Role

from ..factories import utilisateur_avec
from .conftest import creer_evenement

PLACES = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inscriptions_concurrentes_jamais_plus_que_les_places(equipe_nationale, territoire_cvl):
    evenement = creer_evenement(equipe_nationale, capacite=PLACES)
    postgres = connection.vendor == "postgresql"
    nombre = 16 if postgres else 8
    chefs = [utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl) for _ in range(nombre)]
    statuts, erreurs = [], []
    verrou = threading.Lock()

    def inscrire(chef):
        try:
            inscription = actions.inscrire(evenement=evenement, par=chef)
        except Exception as exc:  # noqa: BLE001 — any failure must fail the test, with its cause
            with verrou:
                erreurs.append(repr(exc))
        else:
            with verrou:
                statuts.append(inscription.statut)

    en_meme_temps(inscrire, chefs)

    assert erreurs == []
    assert sorted(statuts) == sorted(
        [StatutInscription.INSCRIT] * PLACES + [StatutInscription.ATTENTE] * (nombre - PLACES)
    )
    assert Inscription.objects.filter(statut=StatutInscription.INSCRIT).count() == PLACES
