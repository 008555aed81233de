"""The dossier's workflow (`CYCLE_DOSSIER`), declared once: the actions, the instruction page's steps, the timeline
and the synthetic data all come from it."""

import pytest

from bench.donnees_synthetiques import CHEMINS
from ti.financements.actions import instruction as actions
from ti.financements.models import CYCLE_DOSSIER, Dossier, Statut
from ti.financements.views.instruction import ETAPES

from ..factories import DossierFactory

# The page offers every step of the workflow but the porteur's filing, under the same name; a payment is offered
# where the solde may be, the opinions outside the workflow.
ETAPES_HORS_PAS = {"versement": "solder", "avis": None}


def test_chaque_etape_de_la_page_est_un_pas_du_cycle_ouvert_depuis_les_memes_etats():
    for code, etape in ETAPES.items():
        pas = ETAPES_HORS_PAS.get(code, code)
        if pas is None:
            assert etape.depuis == actions.AVIS_OUVERTS
            continue
        assert etape.depuis == CYCLE_DOSSIER.pas[pas].depuis, code
    assert set(CYCLE_DOSSIER.pas) - {"deposer"} <= {ETAPES_HORS_PAS.get(code, code) for code in ETAPES}


def test_les_bornes_du_cycle():
    assert CYCLE_DOSSIER.suivants(Dossier(statut=Statut.BROUILLON)) == [Statut.DEPOSE]
    assert CYCLE_DOSSIER.suivants(Dossier(statut=Statut.SOLDE)) == []
    assert Statut.EN_INSTRUCTION not in CYCLE_DOSSIER.transitions[Statut.BROUILLON]


def test_les_donnees_synthetiques_suivent_le_cycle_jusqu_a_chaque_etat():
    for statut, chemin in CHEMINS.items():
        etat = Statut.BROUILLON
        for vers in chemin:
            assert vers in CYCLE_DOSSIER.transitions[etat], (statut, etat, vers)
            etat = vers
        assert etat == statut


@pytest.mark.django_db
def test_un_pas_ecrit_l_etat_la_version_et_la_ligne_de_l_historique(enveloppe_cvl, instructeur_cvl):
    dossier = DossierFactory(enveloppe=enveloppe_cvl)
    version = dossier.version

    transition = dossier.passer(Statut.EN_INSTRUCTION, par=instructeur_cvl, motif="Complet")

    dossier.refresh_from_db()
    assert (dossier.statut, dossier.version) == (Statut.EN_INSTRUCTION, version + 1)
    assert list(dossier.transitions.values_list("de", "vers", "par", "motif")) == [
        (Statut.DEPOSE, Statut.EN_INSTRUCTION, instructeur_cvl.pk, "Complet")
    ]
    assert transition.pk == dossier.transitions.get().pk


@pytest.mark.django_db
def test_un_pas_refuse_n_ecrit_rien(enveloppe_cvl, instructeur_cvl):
    dossier = DossierFactory(enveloppe=enveloppe_cvl)

    with pytest.raises(actions.Refus, match="^Un dossier « déposé » ne peut pas passer à « proposé ».$"):
        dossier.passer(Statut.PROPOSE, par=instructeur_cvl)

    dossier.refresh_from_db()
    assert dossier.statut == Statut.DEPOSE
    assert not dossier.transitions.exists()
