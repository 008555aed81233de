"""The phase 2 demo: the 12 Centre-Val de Loire territories of the February 2024 announcement (seed 001)."""

from collections import Counter

import pytest
from django.core.management import call_command

from ti.core.models import Journal
from ti.referentiel.models import Commune
from ti.territoires import demo
from ti.territoires.demo import ReferentielIncomplet, TerritoireDemo, charger_territoires_cvl
from ti.territoires.importer import importer_territoires
from ti.territoires.models import CommuneTerritoire, Mission, Partenaire, Phase, StatutChefProjet, Territoire

from .test_import import etat_de_la_base, vider_la_base


@pytest.fixture(scope="module")
def cog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
    yield
    with django_db_blocker.unblock():
        vider_la_base()


pytestmark = pytest.mark.usefixtures("cog")

NOMS = {
    "ti2-2401": "Est du Loiret",
    "ti2-2402": "Orléans Métropole – Beauce Loirétaine",
    "ti2-2403": "Nord Loiret",
    "ti2-2404": "Grand-Est Touraine",
    "ti2-2405": "Sologne Val de Cher",
    "ti2-2406": "Chartres métropole",
    "ti2-2407": "Sud Eure-et-Loir",
    "ti2-2408": "Vallée de l’Eure-Portes Euréliennes d’Ile de France",
    "ti2-2409": "Perche Industrie",
    "ti2-2410": "Châteauroux-Buzançais-Argenton",
    "ti2-2411": "Issoudun",
    "ti2-2412": "Berry-Sologne",
}


def statuts():
    return dict(Territoire.objects.filter(phase=Phase.TEMPS_2).values_list("nom", "chef_projet_statut"))


def test_les_douze_territoires_de_la_phase_2_en_centre_val_de_loire(db):
    charger_territoires_cvl()

    territoires = Territoire.objects.filter(phase=Phase.TEMPS_2)
    assert dict(territoires.values_list("identifiant", "nom")) == NOMS
    assert all(t.perimetre_indicatif for t in territoires)
    assert all(t.regions.filter(code="24").exists() for t in territoires)


def test_le_statut_du_chef_de_projet_est_celui_du_communique(db):
    charger_territoires_cvl()

    assert Counter(statuts().values()) == {
        StatutChefProjet.EN_POSTE: 5,
        StatutChefProjet.RECRUTEMENT: 4,
        StatutChefProjet.FINANCEMENT: 3,
    }
    en_poste = {nom for nom, statut in statuts().items() if statut == StatutChefProjet.EN_POSTE}
    assert en_poste == {
        "Grand-Est Touraine",
        "Est du Loiret",
        "Sud Eure-et-Loir",
        "Chartres métropole",
        "Orléans Métropole – Beauce Loirétaine",
    }
    recrutement = {nom for nom, statut in statuts().items() if statut == StatutChefProjet.RECRUTEMENT}
    assert recrutement == {
        "Vallée de l’Eure-Portes Euréliennes d’Ile de France",
        "Perche Industrie",
        "Nord Loiret",
        "Issoudun",
    }


def test_le_perimetre_est_fait_des_epci_des_villes_citees_avec_toutes_leurs_communes(db):
    charger_territoires_cvl()

    est = Territoire.objects.get(identifiant="ti2-2401")
    sirens = {"244500203", "244500211", "200070100"}  # AME (Montargis), CC Giennoises, CC du Val de Sully
    assert set(est.epcis.values_list("siren", flat=True)) == sirens
    membres = set(Commune.objects.filter(epci__in=sirens).values_list("code", flat=True))
    assert set(est.communes.values_list("code", flat=True)) == membres
    assert {"45208", "45155", "45315"} <= membres
    assert est.population == sum(Commune.objects.filter(epci__in=sirens).values_list("population", flat=True))


def test_orleans_avec_la_communaute_de_communes_de_la_beauce_loiretaine(db):
    charger_territoires_cvl()

    orleans = Territoire.objects.get(identifiant="ti2-2402")
    assert set(orleans.epcis.values_list("nom", flat=True)) == {"Orléans Métropole", "CC de la Beauce Loirétaine"}


def test_un_perimetre_peut_deborder_de_la_region(db):
    charger_territoires_cvl()

    dreux = Territoire.objects.get(identifiant="ti2-2408")  # the Agglo du Pays de Dreux reaches into the Eure
    assert set(dreux.departements.values_list("code", flat=True)) == {"27", "28"}
    assert set(dreux.regions.values_list("code", flat=True)) == {"24", "28"}


def test_les_missions_du_communique(db):
    charger_territoires_cvl()

    missions = set(Mission.objects.values_list("territoire__nom", "type", "annee"))
    assert missions == {
        ("Est du Loiret", Mission.Type.CHOC_INDUSTRIEL, 2022),
        ("Châteauroux-Buzançais-Argenton", Mission.Type.CHOC_INDUSTRIEL, 2022),
        ("Vallée de l’Eure-Portes Euréliennes d’Ile de France", Mission.Type.REBOND_INDUSTRIEL, 2023),
        ("Berry-Sologne", Mission.Type.REBOND_INDUSTRIEL, 2023),
        ("Sologne Val de Cher", Mission.Type.REBOND_INDUSTRIEL, 2023),
    }


def test_les_partenaires_sont_des_services_sans_donnees_personnelles(db):
    charger_territoires_cvl()

    assert Partenaire.objects.count() == 12 * 3
    assert set(Partenaire.objects.values_list("organisme", flat=True)) == {
        Partenaire.Organisme.PREFECTURE,
        Partenaire.Organisme.REGION,
    }
    assert not Partenaire.objects.exclude(email="").exists()
    assert not Partenaire.objects.exclude(telephone="").exists()


def test_charger_deux_fois_ne_change_rien(db):
    charger_territoires_cvl()
    avant = etat_de_la_base(), Mission.objects.count(), Partenaire.objects.count()

    rapport = charger_territoires_cvl()

    assert rapport.change_rien
    assert (etat_de_la_base(), Mission.objects.count(), Partenaire.objects.count()) == avant


def test_un_second_chargement_garde_ce_que_les_utilisateurs_ont_modifie(db):
    charger_territoires_cvl()
    Territoire.objects.filter(identifiant="ti2-2411").update(
        chef_projet_statut=StatutChefProjet.EN_POSTE, description="Cheffe de projet arrivée en mars."
    )

    charger_territoires_cvl()

    issoudun = Territoire.objects.get(identifiant="ti2-2411")
    assert (issoudun.chef_projet_statut, issoudun.description) == (
        StatutChefProjet.EN_POSTE,
        "Cheffe de projet arrivée en mars.",
    )


def test_la_demonstration_cotoie_la_phase_1(db):
    importer_territoires(phase=Phase.TEMPS_1, fichier="data/territoires-industrie/temps1-communes-2020.csv")

    charger_territoires_cvl()

    assert Territoire.objects.get(identifiant="ti1-2401").nom == "Berry Sologne"
    assert Territoire.objects.get(identifiant="ti2-2401").nom == "Est du Loiret"
    assert Territoire.objects.filter(phase=Phase.TEMPS_1).count() == 148
    assert not Territoire.objects.filter(phase=Phase.TEMPS_1, perimetre_indicatif=True).exists()


def test_un_perimetre_officiel_importe_depuis_n_est_pas_remplace(db, tmp_path):
    charger_territoires_cvl()
    officiel = tmp_path / "temps2.csv"
    officiel.write_text("insee_com,lib_com,id_ti,lib_ti\n45208,Montargis,2401,Est du Loiret\n")
    importer_territoires(phase=Phase.TEMPS_2, fichier=officiel)

    rapport = charger_territoires_cvl()

    est = Territoire.objects.get(identifiant="ti2-2401")
    assert not est.perimetre_indicatif
    assert list(est.communes.values_list("code", flat=True)) == ["45208"]
    assert est.chef_projet_statut == StatutChefProjet.EN_POSTE
    assert rapport.change_rien


def test_une_ville_absente_du_referentiel_arrete_tout(db, monkeypatch):
    monkeypatch.setattr(
        demo,
        "TERRITOIRES_CVL",
        (*demo.TERRITOIRES_CVL, TerritoireDemo("2499", "Ailleurs", StatutChefProjet.AUCUN, ("99999",))),
    )

    with pytest.raises(ReferentielIncomplet, match=r"communes absentes \['99999'\]"):
        charger_territoires_cvl()

    assert not Territoire.objects.exists()
    assert not CommuneTerritoire.objects.exists()
    assert not Journal.objects.exists()


def test_la_commande_de_demonstration(db, capsys):
    call_command("charger_demo")

    assert Territoire.objects.filter(phase=Phase.TEMPS_2).count() == 12
    assert "Démonstration chargée." in capsys.readouterr().out
