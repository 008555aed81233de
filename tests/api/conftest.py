"""A small, realistic slice of the programme: Centre-Val de Loire and Bretagne, territories of both phases."""

from dataclasses import dataclass

import pytest

from tests.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory, TerritoireFactory
from ti.referentiel.models import CommuneRattachee, Epci
from ti.territoires.models import Mission, Partenaire, Phase, StatutChefProjet, Territoire


@dataclass
class Programme:
    est_loiret: Territoire
    berry: Territoire
    pithiverais: Territoire
    lorient: Territoire


@pytest.fixture
def programme(db) -> Programme:
    cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
    bretagne = RegionFactory(code="53", nom="Bretagne")
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    cher = DepartementFactory(code="18", nom="Cher", region=cvl)
    indre = DepartementFactory(code="36", nom="Indre", region=cvl)
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=bretagne)

    montargoise = EpciFactory(
        siren="200067759", nom="CA Montargoise et Rives du Loing", nature=Epci.Nature.CA, population=61000
    )
    bourges_plus = EpciFactory(siren="241800507", nom="CA Bourges Plus", nature=Epci.Nature.CA, population=102000)
    chateauroux_metropole = EpciFactory(
        siren="243600327", nom="CA Châteauroux Métropole", nature=Epci.Nature.CA, population=72000
    )
    pithiverais_epci = EpciFactory(siren="200035103", nom="CC du Pithiverais", nature=Epci.Nature.CC)
    lorient_agglo = EpciFactory(siren="200042174", nom="Lorient Agglomération", nature=Epci.Nature.CA)

    montargis = CommuneFactory(code="45208", nom="Montargis", departement=loiret, epci=montargoise, population=14000)
    chalette = CommuneFactory(
        code="45068", nom="Châlette-sur-Loing", departement=loiret, epci=montargoise, population=13000
    )
    bourges = CommuneFactory(code="18033", nom="Bourges", departement=cher, epci=bourges_plus, population=64000)
    chateauroux = CommuneFactory(
        code="36044", nom="Châteauroux", departement=indre, epci=chateauroux_metropole, population=43000
    )
    malesherbois = CommuneFactory(
        code="45191", nom="Le Malesherbois", departement=loiret, epci=pithiverais_epci, population=8500
    )
    lorient = CommuneFactory(code="56121", nom="Lorient", departement=morbihan, epci=lorient_agglo, population=57000)
    CommuneRattachee.objects.create(
        code="45109", nom="Coudray", type=CommuneRattachee.Type.DELEGUEE, chef_lieu=malesherbois
    )

    est_loiret = TerritoireFactory(
        phase=Phase.TEMPS_2,
        code="2401",
        nom="Est du Loiret",
        communes=[montargis, chalette],
        binome_elu="Benoît Digeon",
        binome_elu_mandat="Président de l’agglomération montargoise",
        binome_industriel="Claire Martin",
        binome_industriel_entreprise="Hutchinson",
        chef_projet_statut=StatutChefProjet.EN_POSTE,
        chef_projet_nom="Camille Durand",
        chef_projet_email="camille.durand@agglo-montargoise.example",
        chef_projet_telephone="02 38 00 00 01",
    )
    Mission.objects.create(territoire=est_loiret, type=Mission.Type.FABRIQUE_PROSPECTIVE, annee=2024)
    Partenaire.objects.create(
        territoire=est_loiret,
        organisme=Partenaire.Organisme.PREFECTURE,
        nom="Dominique Préfet",
        email="dominique.prefet@loiret.gouv.example",
        telephone="02 38 00 00 02",
    )
    berry = TerritoireFactory(
        phase=Phase.TEMPS_2,
        code="2402",
        nom="Berry industriel",
        communes=[bourges, chateauroux],
        chef_projet_statut=StatutChefProjet.RECRUTEMENT,
    )
    pithiverais = TerritoireFactory(phase=Phase.TEMPS_1, code="2404", nom="Pithiverais", communes=[malesherbois])
    lorient_ti = TerritoireFactory(phase=Phase.TEMPS_1, code="5302", nom="Lorient", communes=[lorient])
    return Programme(est_loiret=est_loiret, berry=berry, pithiverais=pithiverais, lorient=lorient_ti)
