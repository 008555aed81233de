"""Credit transfers at the same moment: the envelope never gives away what it has granted, and transfers in
opposite directions do not deadlock (both rows are locked in the order of their pk).

On PostgreSQL each transfer runs in its own thread with its own connection, released together by a barrier. SQLite
has no row locks and one writer at a time: there the same transfers run one after the other, same assertions.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from tests.factories import DispositifFactory, EnveloppeFactory
from ti.financements.actions.enveloppes import Refus, transferer_credits
from ti.financements.models import Enveloppe, TransfertCredits

M = Decimal
CENT_MILLE = M("100000.00")


def lancer(transferts, par):
    """Run (depuis, vers) transfers of 100 000 € at once; returns (succeeded, refused, other errors)."""
    postgres = connection.vendor == "postgresql"
    reussis, refus, erreurs = [], [], []
    verrou = threading.Lock()
    depart = threading.Barrier(len(transferts)) if postgres else None

    def transferer(depuis, vers):
        try:
            if depart:
                depart.wait(timeout=30)
            transferer_credits(depuis=depuis, vers=vers, montant=CENT_MILLE, par=par, motif="Concurrence")
        except Refus as exc:
            with verrou:
                refus.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — a deadlock or a CHECK violation must fail the test
            with verrou:
                erreurs.append(repr(exc))
        else:
            with verrou:
                reussis.append((depuis.pk, vers.pk))
        finally:
            if postgres:
                connections.close_all()

    if postgres:
        fils = [threading.Thread(target=transferer, args=paire) for paire in transferts]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join(timeout=60)
        assert not any(fil.is_alive() for fil in fils)
    else:
        for paire in transferts:
            transferer(*paire)
    return reussis, refus, erreurs


@pytest.fixture
def enveloppes(cvl, bretagne):
    dispositif = DispositifFactory(montant=M("10000000"))
    a = EnveloppeFactory(dispositif=dispositif, region=cvl, montant=M("1000000"), montant_accorde=M("700000"))
    b = EnveloppeFactory(dispositif=dispositif, region=bretagne, montant=M("5000000"))
    return a, b


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_une_enveloppe_ne_cede_jamais_plus_que_son_reste(enveloppes, equipe_nationale):
    a, b = enveloppes
    reussis, refus, erreurs = lancer([(a, b)] * 8, equipe_nationale)
    assert erreurs == []
    assert (len(reussis), len(refus)) == (3, 5)  # 300 000 € of reste: three transfers of 100 000 €
    assert all("peut céder au plus" in message for message in refus)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.montant, a.reste, b.montant) == (M("700000.00"), 0, M("5300000.00"))
    assert TransfertCredits.objects.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transferts_croises_sans_interblocage(enveloppes, equipe_nationale):
    a, b = enveloppes
    reussis, refus, erreurs = lancer([(a, b), (b, a)] * 5, equipe_nationale)
    assert erreurs == []
    a.refresh_from_db()
    b.refresh_from_db()
    vers_b = sum(1 for depuis, _ in reussis if depuis == a.pk)
    vers_a = sum(1 for depuis, _ in reussis if depuis == b.pk)
    assert vers_a == 5  # Bretagne has granted nothing: all its transfers pass
    assert len(reussis) + len(refus) == 10
    assert a.montant == M("1000000.00") + CENT_MILLE * (vers_a - vers_b)
    assert a.montant + b.montant == M("6000000.00")
    assert a.montant >= a.montant_accorde
    assert TransfertCredits.objects.count() == len(reussis)
    assert Enveloppe.objects.count() == 2
