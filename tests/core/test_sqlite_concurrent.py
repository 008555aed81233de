"""SQLite under parallel writes (the `make run` default): transactions wait for each other, none fails."""

import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ECRIVAINS = 6
ECRITURES = 15
ALIAS = "sqlite_parallele"


@pytest.fixture
def base_sqlite(tmp_path, django_db_blocker):
    """A file-based SQLite database of its own, with the project's SQLite options, outside the test database."""
    reglage = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "parallele.sqlite3")}
    reglage["OPTIONS"] = settings.OPTIONS_SQLITE
    connections.settings[ALIAS] = connections.configure_settings({"default": reglage})["default"]
    with django_db_blocker.unblock():
        yield
        connections[ALIAS].close()
    del connections.settings[ALIAS]


def test_des_transactions_paralleles_qui_lisent_puis_ecrivent_ne_tombent_pas_sur_un_verrou(base_sqlite):
    with connections[ALIAS].cursor() as curseur:
        curseur.execute("CREATE TABLE compteur (n INTEGER NOT NULL)")
    erreurs: list[Exception] = []
    depart = threading.Barrier(ECRIVAINS)

    def ecrire():
        depart.wait()
        try:
            for _ in range(ECRITURES):
                # What a form post does: read (a check, the next number), then write, in one transaction.
                with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as curseur:
                    curseur.execute("SELECT COALESCE(MAX(n), 0) FROM compteur")
                    (dernier,) = curseur.fetchone()
                    curseur.execute("INSERT INTO compteur (n) VALUES (%s)", [dernier + 1])
        except OperationalError as erreur:
            erreurs.append(erreur)
        finally:
            connections[ALIAS].close()

    fils = [threading.Thread(target=ecrire) for _ in range(ECRIVAINS)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()

    assert erreurs == []
    with connections[ALIAS].cursor() as curseur:
        curseur.execute("SELECT COUNT(*), COUNT(DISTINCT n), MAX(n) FROM compteur")
        assert curseur.fetchone() == (ECRIVAINS * ECRITURES,) * 3  # serialised: no number taken twice
        curseur.execute("PRAGMA journal_mode")
        assert curseur.fetchone() == ("wal",)
