"""One function run for several arguments at once: how the tests check the guarantees that must hold under
concurrent writes (envelope, budget, seats).

On PostgreSQL each call runs in its own thread with its own connection, released together by a barrier, so that the
row locks are what serialise them. SQLite's in-memory test database cannot be shared between threads: there the calls
run one after the other, and the same counts are asserted."""

import threading

from django.db import connection, connections


def en_meme_temps(fonction, arguments: list) -> None:
    """Calls `fonction(argument)` for each argument, at once on PostgreSQL. `fonction` records its own outcome (under
    a lock of the test's); an exception escaping it fails the test."""
    if connection.vendor != "postgresql":
        for argument in arguments:
            fonction(argument)
        return
    depart = threading.Barrier(len(arguments))
    echappees = []

    def lancer(argument):
        try:
            depart.wait(timeout=30)
            fonction(argument)
        except Exception as exc:  # noqa: BLE001 — reported below, with its cause
            echappees.append(repr(exc))
        finally:
            connections.close_all()  # this thread's own connection

    fils = [threading.Thread(target=lancer, args=(argument,)) for argument in arguments]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)
    assert not any(fil.is_alive() for fil in fils)
    assert echappees == []
