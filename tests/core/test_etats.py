"""The one state-machine mechanism (ti/core/etats.py), on a small workflow of its own: no database."""

from types import SimpleNamespace

import pytest
from django.db import models

from ti.core.etats import Machine, Pas, Refus


class Etat(models.TextChoices):
    A = "a", "Ouvert"
    B = "b", "En cours"
    C = "c", "Clos"
    D = "d", "Archivé"


CYCLE = Machine(
    champ="etat",
    etats=Etat,
    nom="Un objet",
    pas={
        "lancer": Pas({Etat.A}, {Etat.B}),
        "clore": Pas({Etat.A, Etat.B}, {Etat.C}),
        "archiver": Pas({Etat.C}, {Etat.D}),
    },
    refus={(Etat.D, None): "L’objet {objet.nom} est archivé.", (Etat.A, Etat.D): "Closez-le d’abord."},
)


def objet(etat):
    return SimpleNamespace(etat=etat, nom="n° 7")


def test_la_table_des_transitions_se_deduit_des_pas_nommes():
    assert CYCLE.transitions == {Etat.A: {Etat.B, Etat.C}, Etat.B: {Etat.C}, Etat.C: {Etat.D}, Etat.D: set()}


def test_les_pas_possibles_suivent_l_etat_dans_l_ordre_declare():
    assert CYCLE.pas_possibles(objet(Etat.A)) == ["lancer", "clore"]
    assert CYCLE.pas_possibles(objet(Etat.B)) == ["clore"]
    assert CYCLE.pas_possibles(objet(Etat.D)) == []
    assert CYCLE.suivants(objet(Etat.A)) == [Etat.B, Etat.C]


def test_le_chemin_le_plus_court_d_un_etat_a_un_autre():
    assert CYCLE.chemin(Etat.A, Etat.D) == [Etat.C, Etat.D]  # « clore » directly, not through « en cours »
    assert CYCLE.chemin(Etat.B, Etat.B) == []
    with pytest.raises(ValueError, match="Aucun chemin"):
        CYCLE.chemin(Etat.D, Etat.A)


def test_un_pas_permis_passe_la_verification():
    CYCLE.verifier(objet(Etat.B), Etat.C)  # no exception


def test_le_refus_par_defaut_nomme_les_deux_etats():
    with pytest.raises(Refus, match="^Un objet « en cours » ne peut pas passer à « ouvert ».$"):
        CYCLE.verifier(objet(Etat.B), Etat.A)


def test_un_refus_declare_pour_un_pas_ou_pour_tout_pas_depuis_un_etat():
    with pytest.raises(Refus, match="^Closez-le d’abord.$"):
        CYCLE.verifier(objet(Etat.A), Etat.D)
    with pytest.raises(Refus, match="^L’objet n° 7 est archivé.$"):
        CYCLE.verifier(objet(Etat.D), Etat.C)


def test_une_machine_qui_nomme_un_etat_inconnu_est_refusee_a_sa_declaration():
    with pytest.raises(ValueError, match="États inconnus"):
        Machine(champ="etat", etats=Etat, transitions={Etat.A: {"z"}})
    with pytest.raises(ValueError, match="États inconnus"):
        Machine(champ="etat", etats=Etat, pas={"x": Pas({"y"}, {Etat.A})})
