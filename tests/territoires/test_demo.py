"""The phase 2 demo: what the February 2024 announcement (seed 001) says of the 12 real laureates of the région."""

from collections import Counter

import pytest
from django.core.management import call_command

from ti.territoires.demo import STATUTS_CVL, TerritoiresManquants, charger_territoires_cvl
from ti.territoires.importer import importer_territoires
from ti.territoires.models import ChangementChefProjet, Mission, Partenaire, Phase, StatutChefProjet, Territoire

from .test_import import etat_de_la_base, vider_la_base

TEMPS2 = "data/territoires-industrie/temps2-communes-2026.csv"


@pytest.fixture(scope="module")
def temps2(django_db_setup, django_db_blocker):
    """COG 2026 and the real Temps II list, imported once for the module, then removed."""
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
        importer_territoires(phase=Phase.TEMPS_2, fichier=TEMPS2)
    yield
    with django_db_blocker.unblock():
        vider_la_base()


pytestmark = pytest.mark.usefixtures("temps2")


def statuts():
    return dict(Territoire.objects.filter(phase=Phase.TEMPS_2).values_list("nom", "chef_projet_statut"))


def test_la_demonstration_complete_les_territoires_reels_sans_en_creer(db):
    avant = etat_de_la_base()

    territoires = charger_territoires_cvl()

    apres = etat_de_la_base()
    assert [t[:3] for t in apres["territoires"]] == [t[:3] for t in avant["territoires"]]  # the status sets modifie_le
    assert len(avant["territoires"]) == 183 and apres["perimetres"] == avant["perimetres"]
    assert set(territoires) == set(STATUTS_CVL)
    assert all(t.regions.filter(code="24").exists() for t in territoires.values())


def test_le_statut_du_chef_de_projet_est_celui_du_communique_avec_son_historique(db):
    charger_territoires_cvl()

    assert Counter(s for s in statuts().values() if s != StatutChefProjet.AUCUN) == {
        StatutChefProjet.EN_POSTE: 5,
        StatutChefProjet.RECRUTEMENT: 4,
        StatutChefProjet.FINANCEMENT: 3,
    }
    recrutement = {nom for nom, statut in statuts().items() if statut == StatutChefProjet.RECRUTEMENT}
    assert recrutement == {
        "Pays de Dreux – Portes Euréliennes d’Île-de-France",
        "Perche Industrie",
        "Nord Loiret",
        "Issoudun",
    }
    changement = ChangementChefProjet.objects.get(territoire__nom="Issoudun")
    assert (changement.avant, changement.apres, changement.par) == ("aucun", "recrutement", None)
    assert "16 février 2024" in changement.motif


def test_les_missions_du_communique(db):
    charger_territoires_cvl()

    assert set(Mission.objects.values_list("territoire__nom", "type", "annee")) == {
        ("Est du Loiret", Mission.Type.CHOC_INDUSTRIEL, 2022),
        ("Châteauroux – Buzançais – Argenton", Mission.Type.CHOC_INDUSTRIEL, 2022),
        ("Pays de Dreux – Portes Euréliennes d’Île-de-France", Mission.Type.REBOND_INDUSTRIEL, 2023),
        ("Berry Sologne", Mission.Type.REBOND_INDUSTRIEL, 2023),
        ("Sologne Val de Cher", Mission.Type.REBOND_INDUSTRIEL, 2023),
    }


def test_les_partenaires_sont_des_services_sans_donnees_personnelles(db):
    charger_territoires_cvl()

    assert Partenaire.objects.count() == 12 * 3
    assert not Partenaire.objects.exclude(email="").exists()
    assert not Partenaire.objects.exclude(telephone="").exists()


def test_charger_deux_fois_ne_change_rien(db):
    charger_territoires_cvl()
    avant = etat_de_la_base(), Mission.objects.count(), Partenaire.objects.count(), statuts()

    charger_territoires_cvl()

    assert (etat_de_la_base(), Mission.objects.count(), Partenaire.objects.count(), statuts()) == avant
    assert ChangementChefProjet.objects.count() == 12


def test_un_second_chargement_garde_ce_que_les_utilisateurs_ont_modifie(db):
    charger_territoires_cvl()
    Territoire.objects.filter(nom="Issoudun").update(
        chef_projet_statut=StatutChefProjet.EN_POSTE, description="Cheffe de projet arrivée en mars."
    )

    charger_territoires_cvl()

    issoudun = Territoire.objects.get(nom="Issoudun")
    assert (issoudun.chef_projet_statut, issoudun.description) == (
        StatutChefProjet.EN_POSTE,
        "Cheffe de projet arrivée en mars.",
    )


def test_sans_la_liste_du_temps_2_la_demonstration_le_dit(db):
    Territoire.objects.filter(nom="Perche Industrie").delete()

    with pytest.raises(TerritoiresManquants, match=r"Perche Industrie.*import_territoires --phase 2"):
        charger_territoires_cvl()

    assert not Mission.objects.exists() and not ChangementChefProjet.objects.exists()


def test_la_commande_de_demonstration(db, capsys):
    call_command("charger_demo")

    assert Territoire.objects.filter(phase=Phase.TEMPS_2).count() == 183
    assert "Démonstration chargée." in capsys.readouterr().out
