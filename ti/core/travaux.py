"""The background job queue: side effects (e-mails, notifications, digests) that must never break a saved change.

Jobs are rows of the database (django-q2 and its ORM broker, decision 0037), run by `manage.py qcluster`. A job
that raises is not acknowledged: the worker takes it again after `Q_CLUSTER["retry"]` seconds, up to
`Q_CLUSTER["max_attempts"]` attempts; every failure is recorded (admin « Failed tasks »), never silently dropped.

A job receives primary keys and plain values, never model instances: it reads the rows as they are when it runs.
"""

import pydoc
import traceback
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.monitor import save_task
from django_q.signing import SignedPackage
from django_q.tasks import async_task

# Keyword arguments that django-q2 would take for itself instead of passing them to the job.
OPTIONS_RESERVEES = {"hook", "group", "save", "sync", "cached", "ack_failure", "iter_count", "iter_cached", "chain"}
OPTIONS_RESERVEES |= {"broker", "cluster", "timeout", "q_options", "task_name"}


def differer(chemin_fonction: str, *args, **kwargs) -> None:
    """Queue `chemin_fonction(*args, **kwargs)` once the current transaction commits (at once outside of one).

    Nothing is queued if the transaction rolls back. Queuing is robust: if it fails, the error is logged and the
    saved change stands."""
    if reservees := OPTIONS_RESERVEES & kwargs.keys():
        raise ValueError(f"Arguments réservés à la file de travaux : {', '.join(sorted(reservees))}.")
    if pydoc.locate(chemin_fonction) is None:  # a typo must fail where it is written, not in the worker
        raise ValueError(f"Fonction introuvable pour la file de travaux : {chemin_fonction}.")
    transaction.on_commit(
        partial(async_task, chemin_fonction, *args, q_options={"group": chemin_fonction}, **kwargs), robust=True
    )


def executer_en_attente(limite: int = 1000) -> int:
    """Run, in this process, the queued jobs whose turn has come; returns how many ran.

    For the tests and for a shell when no worker runs. It follows the worker's rules: a success is acknowledged,
    a failure is recorded and stays queued until the retry delay has passed (or the last attempt is spent)."""
    broker = get_broker()
    executes = 0
    while executes < limite and broker.queue_size():
        taches = broker.dequeue() or []
        if not taches:  # queued, but none whose turn has come (a retry delay running): nothing to run now
            break
        for ack_id, paquet in taches:
            tache = SignedPackage.loads(paquet)
            try:
                tache["result"], tache["success"] = pydoc.locate(tache["func"])(*tache["args"], **tache["kwargs"]), True
            except Exception:
                tache["result"], tache["success"] = traceback.format_exc(), False
            # `sync` keeps this process's database connection open (the worker closes stale ones between jobs).
            tache.update(stopped=timezone.now(), ack_id=ack_id, sync=True)
            save_task(tache, broker)  # records the attempt; acknowledges once the last attempt is spent
            if tache["success"]:
                broker.acknowledge(ack_id)
            executes += 1
    return executes
