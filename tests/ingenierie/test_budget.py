"""The national engineering budget of a year: orders never exceed it, even sent at the same moment.

On PostgreSQL each order runs in its own thread with its own connection, released together by a barrier (the budget
row is locked); SQLite has one writer at a time: there the same orders run one after the other, same assertions."""

import threading
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.concurrence import en_meme_temps
from tests.factories import ProjetFactory, TerritoireFactory, utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from ti.comptes.models import Role
from ti.core.etats import Refus
from ti.ingenierie import actions
from ti.ingenierie.models import Budget, Demande, Mission, StatutDemande, StatutMission

COMMANDE = {
    "type": "sur_mesure",
    "intitule": "Accompagnement",
    "annee": 2026,
    "cabinet": "Cabinet Exemple Conseil",
    "numero_commande": "ANCT-2026-001",
    "montant_ht": Decimal("100000"),
    "montant_ttc": Decimal("120000"),
    "jours_prevus": Decimal("60"),
}


def demande_acceptee(territoire) -> Demande:
    demande = Demande.objects.create(
        territoire=territoire,
        besoin="Diagnostic",
        livrables_attendus="Diagnostic",
        calendrier="2026",
        statut=StatutDemande.ACCEPTEE,
        cree_par=utilisateur_avec(Role.CHEF_PROJET, territoire=territoire),
    )
    demande.projets.set([ProjetFactory(territoire=territoire)])
    return demande


def commander_en_meme_temps(demandes, *, par) -> tuple[list, list, list]:
    """Orders the missions of the requests at the same moment: the orders passed, the refusals' messages, and any
    other error (a deadlock must fail the test)."""
    reussies, refus, erreurs = [], [], []
    verrou = threading.Lock()

    def commander(demande):
        try:
            actions.commander_mission(demande=demande, par=par, **COMMANDE)
        except Refus as exc:
            with verrou:
                refus.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — a deadlock must fail the test
            with verrou:
                erreurs.append(repr(exc))
        else:
            with verrou:
                reussies.append(demande.pk)

    en_meme_temps(commander, demandes)
    return reussies, refus, erreurs


@pytest.mark.django_db
def test_une_commande_au_dela_du_reste_est_refusee(territoire_cvl, equipe_nationale):
    Budget.objects.create(annee=2026, montant_ht=Decimal("250000"))
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=100000, montant_ttc=120000)
    MissionFactory(
        territoire=territoire_cvl, annee=2026, montant_ht=90000, montant_ttc=108000, statut=StatutMission.ANNULEE
    )

    trop = {**COMMANDE, "montant_ht": Decimal("150001"), "montant_ttc": Decimal("180001")}
    with pytest.raises(Refus, match="il reste 150000.00 € HT"):
        actions.commander_mission(demande=demande_acceptee(territoire_cvl), par=equipe_nationale, **trop)
    actions.commander_mission(demande=demande_acceptee(territoire_cvl), par=equipe_nationale, **COMMANDE)
    assert Mission.objects.filter(annee=2026).count() == 3


@pytest.mark.django_db
def test_sans_budget_ouvert_pas_de_commande(territoire_cvl, equipe_nationale):
    with pytest.raises(Refus, match="Aucun budget national d’ingénierie n’est ouvert pour 2026"):
        actions.commander_mission(demande=demande_acceptee(territoire_cvl), par=equipe_nationale, **COMMANDE)
    assert not Mission.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_des_commandes_simultanees_ne_depassent_jamais_le_budget(cvl):
    Budget.objects.create(annee=2026, montant_ht=Decimal("300000"))
    equipe = utilisateur_avec(Role.EQUIPE_NATIONALE)
    demandes = [demande_acceptee(TerritoireFactory()) for _ in range(6)]
    reussies, refus, erreurs = commander_en_meme_temps(demandes, par=equipe)

    assert erreurs == []
    assert (len(reussies), len(refus)) == (3, 3)
    assert Mission.objects.filter(annee=2026).count() == 3


@pytest.mark.django_db
def test_l_equipe_nationale_voit_le_budget_engage(client, territoire_cvl, equipe_nationale, chef_projet_cvl):
    Budget.objects.create(annee=2026, montant_ht=Decimal("250000"))
    Budget.objects.create(annee=2025, montant_ht=Decimal("50000"))
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=100000, montant_ttc=120000)
    MissionFactory(
        territoire=territoire_cvl, annee=2026, montant_ht=90000, montant_ttc=108000, statut=StatutMission.ANNULEE
    )
    client.force_login(equipe_nationale)
    budgets = client.get(reverse("ingenierie:tableau")).context["budgets"]
    assert [(b.annee, b.engage, b.reste) for b in budgets] == [(2026, 100000, 150000), (2025, 0, 50000)]

    client.force_login(chef_projet_cvl)
    assert "budgets" not in client.get(reverse("ingenierie:tableau")).context
