"""The state-machine mechanism (`ti.core.etats.Machine`) with the journal: which steps it offers, which it refuses,
writes. Any model field can hold the state; a région's name does here, to need nothing else."""

from types import SimpleNamespace

import pytest
from django.db import models

from tests.factories import RegionFactory
from ti.core.etats import Machine, Refus
from ti.core.models import Journal, historique


class Etat(models.TextChoices):
    OUVERT = "Ouvert", "Ouvert"
    SUSPENDU = "Suspendu", "Suspendu"
    FERME = "Fermé", "Fermé"


CYCLE = Machine(
    champ="nom",
    etats=Etat,
    transitions={Etat.OUVERT: {Etat.FERME, Etat.SUSPENDU}, Etat.SUSPENDU: {Etat.OUVERT}},  # FERME: the end
    action="test.etat",
    nom="Un essai",
)


def test_les_suivants_dans_l_ordre_des_libelles_et_aucun_apres_la_fin():
    assert CYCLE.suivants(SimpleNamespace(nom=Etat.OUVERT)) == [Etat.SUSPENDU, Etat.FERME]
    assert CYCLE.suivants(SimpleNamespace(nom=Etat.SUSPENDU)) == [Etat.OUVERT]
    assert CYCLE.suivants(SimpleNamespace(nom=Etat.FERME)) == []


@pytest.mark.django_db
def test_une_etape_permise_est_ecrite_avec_sa_ligne_de_journal(equipe_nationale):
    region = RegionFactory(nom=Etat.OUVERT)
    CYCLE.passer(region, Etat.SUSPENDU, par=equipe_nationale)
    region.refresh_from_db()
    assert region.nom == Etat.SUSPENDU
    ligne = historique(region).get()
    assert (ligne.action, ligne.details, ligne.motif, ligne.acteur) == (
        "test.etat",
        {"de": "Ouvert", "vers": "Suspendu"},
        "",
        equipe_nationale,
    )


@pytest.mark.django_db
def test_une_etape_refusee_ne_change_rien(equipe_nationale):
    region = RegionFactory(nom=Etat.FERME)
    with pytest.raises(Refus, match="^Un essai « fermé » ne peut pas passer à « ouvert ».$"):
        CYCLE.passer(region, Etat.OUVERT, par=equipe_nationale)
    with pytest.raises(Refus):
        CYCLE.passer(RegionFactory(nom=Etat.OUVERT), Etat.OUVERT, par=equipe_nationale)
    region.refresh_from_db()
    assert region.nom == Etat.FERME
    assert not Journal.objects.exists()
