"""The envelope invariant under concurrent decisions, and two instructors on the same dossier.

On PostgreSQL every decision runs in its own thread with its own connection, released together by a barrier, so that
the row lock on the envelope is what serialises them. SQLite has no row locks and one writer at a time: there the
same decisions run one after the other, and the same totals are asserted.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from tests.concurrence import en_meme_temps
from ti.comptes.models import Role
from ti.financements.actions import instruction as actions
from ti.financements.models import Dossier, Enveloppe, Statut

from ..factories import DossierFactory, utilisateur_avec

MONTANT_ENVELOPPE = Decimal("1000000.00")
DEMANDE = Decimal("150000.01")  # 6 fit (900 000,06 €), the 7th would overflow; cents make the sum exact or not


def _proposer(dossiers, par):
    for dossier in dossiers:
        dossier = actions.ouvrir_instruction(dossier=dossier, par=par, version=dossier.version)
        actions.proposer(dossier=dossier, par=par, version=dossier.version, montant_propose=DEMANDE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_decisions_concurrentes_ne_depassent_jamais_l_enveloppe(
    enveloppe_cvl, territoire_fv, montargis, instructeur_cvl
):
    Enveloppe.objects.filter(pk=enveloppe_cvl.pk).update(montant=MONTANT_ENVELOPPE)
    postgres = connection.vendor == "postgresql"
    nombre = 20 if postgres else 10
    dossiers = DossierFactory.create_batch(
        nombre, enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, aide_demandee=DEMANDE
    )
    _proposer(dossiers, instructeur_cvl)
    dossiers = list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]))

    acceptes, refus, erreurs = [], [], []
    verrou = threading.Lock()

    def decider(dossier):
        try:
            actions.decider(
                dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.ACCEPTE, montant=DEMANDE
            )
        except actions.Refus as exc:
            with verrou:
                refus.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — any other failure must fail the test, with its cause
            with verrou:
                erreurs.append(repr(exc))
        else:
            with verrou:
                acceptes.append(dossier.pk)

    en_meme_temps(decider, dossiers)

    assert erreurs == []
    assert len(acceptes) == 6
    assert len(refus) == nombre - 6
    assert all(message.startswith("Il ne reste que 99\xa0999,94\xa0€") for message in refus)
    enveloppe = Enveloppe.objects.get(pk=enveloppe_cvl.pk)
    total = sum(d.montant_accorde for d in Dossier.objects.filter(statut=Statut.ACCEPTE))
    assert enveloppe.montant_accorde == total == Decimal("900000.06")
    assert enveloppe.montant_accorde <= enveloppe.montant
    assert Dossier.objects.filter(statut=Statut.PROPOSE).count() == nombre - 6


@pytest.mark.django_db
def test_le_second_instructeur_sur_une_version_perimee_est_refuse(
    client, enveloppe_cvl, territoire_fv, montargis, instructeur_cvl, cvl
):
    collegue = utilisateur_avec(Role.INSTRUCTEUR, region=cvl)
    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis)
    version_vue = dossier.version  # both opened the page at the same moment
    url = reverse("financements:etape", args=[dossier.reference])
    client.force_login(instructeur_cvl)
    assert client.post(url, {"etape": "ouvrir", "ouvrir-version": version_vue}).status_code == 302
    client.force_login(collegue)
    reponse = client.post(
        url, {"etape": "incomplet", "incomplet-version": version_vue, "incomplet-motif": "Il manque le devis."}
    )
    assert reponse.status_code == 400
    assert "modifié entre-temps" in reponse.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).statut == Statut.EN_INSTRUCTION
