"""A small, realistic programme for the page tests (no test here): three territories, two phases, one overseas.

Each page test module wraps `programme_exemple()` in a fixture; `territoires_en_nombre()` grows the data to prove
that a page's number of queries does not depend on it.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    HabilitationFactory,
    RegionFactory,
    TerritoireFactory,
    UtilisateurFactory,
    utilisateur_avec,
)
from ti.comptes.models import Role
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Region
from ti.territoires.models import Mission, Partenaire, Phase, StatutChefProjet, Territoire


@dataclass
class Programme:
    centre: Region
    ara: Region
    guadeloupe: Region
    indre: Departement
    ardeche: Departement
    chateauroux: Commune
    deols: Commune
    levroux: Commune  # in no territory
    annonay: Commune
    pointe_a_pitre: Commune
    chateauroux_metropole: Territoire  # phase 2, chef de projet en poste, contacts filled in
    ardeche_drome: Territoire  # phase 1, recruiting
    cap_excellence: Territoire  # phase 1, overseas


def programme_exemple() -> Programme:
    centre = RegionFactory(code="24", nom="Centre-Val de Loire")
    ara = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    guadeloupe = RegionFactory(code="01", nom="Guadeloupe")
    indre = DepartementFactory(code="36", nom="Indre", region=centre)
    ardeche = DepartementFactory(code="07", nom="Ardèche", region=ara)
    dep_guadeloupe = DepartementFactory(code="971", nom="Guadeloupe", region=guadeloupe)

    ca_chateauroux = EpciFactory(
        siren="243600327", nom="CA Châteauroux Métropole", nature=Epci.Nature.CA, population=72000
    )
    cc_champagne = EpciFactory(siren="200040624", nom="CC Champagne Boischauts", nature=Epci.Nature.CC)
    annonay_rhone_agglo = EpciFactory(
        siren="200072015", nom="CA Annonay Rhône Agglo", nature=Epci.Nature.CA, population=48000
    )
    cap_excellence_epci = EpciFactory(siren="200018653", nom="CA Cap Excellence", nature=Epci.Nature.CA)

    chateauroux = CommuneFactory(
        code="36044",
        nom="Châteauroux",
        departement=indre,
        epci=ca_chateauroux,
        codes_postaux="36000",
        population=43000,
    )
    deols = CommuneFactory(
        code="36063", nom="Déols", departement=indre, epci=ca_chateauroux, codes_postaux="36130", population=7500
    )
    levroux = CommuneFactory(
        code="36093", nom="Levroux", departement=indre, epci=cc_champagne, codes_postaux="36110", population=2800
    )
    annonay = CommuneFactory(
        code="07010",
        nom="Annonay",
        departement=ardeche,
        epci=annonay_rhone_agglo,
        codes_postaux="07100",
        population=16500,
    )
    pointe_a_pitre = CommuneFactory(
        code="97120",
        nom="Pointe-à-Pitre",
        departement=dep_guadeloupe,
        epci=cap_excellence_epci,
        codes_postaux="97110",
        population=15000,
    )
    # A former commune merged into Annonay's neighbour would be typical; here a commune déléguée of Déols.
    CommuneRattachee.objects.create(
        code="36999", type=CommuneRattachee.Type.DELEGUEE, nom="Vieux-Bourg-sur-Indre", chef_lieu=deols
    )

    chateauroux_metropole = TerritoireFactory(
        phase=Phase.TEMPS_2,
        code="2406",
        nom="Châteauroux Métropole",
        description="Pôle industriel de l’Indre : aéronautique, agroalimentaire, logistique.",
        binome_elu="Gil Avérous",
        binome_elu_mandat="Président de Châteauroux Métropole",
        binome_industriel="Marie Industrie",
        binome_industriel_entreprise="Ateliers de l’Indre",
        chef_projet_statut=StatutChefProjet.EN_POSTE,
        chef_projet_nom="Claire Martin",
        chef_projet_structure="Châteauroux Métropole",
        chef_projet_email="claire.martin@chateauroux-metropole.fr",
        chef_projet_telephone="02 54 08 33 00",
        communes=[chateauroux, deols],
    )
    # The governance the page shows comes from the habilitations (ti/territoires/gouvernance.py).
    for role, prenom, nom, email, organisme in (
        (Role.BINOME, "Gil", "Avérous", "gil.averous@chateauroux-metropole.fr", "Président de Châteauroux Métropole"),
        (Role.BINOME, "Marie", "Industrie", "marie@ateliers-indre.fr", "Ateliers de l’Indre"),
        (Role.CHEF_PROJET, "Claire", "Martin", "claire.martin@chateauroux-metropole.fr", "Châteauroux Métropole"),
    ):
        HabilitationFactory(
            role=role,
            territoire=chateauroux_metropole,
            organisme=organisme,
            utilisateur=UtilisateurFactory(prenom=prenom, nom=nom, email=email, password=None),
        )
    Partenaire.objects.create(
        territoire=chateauroux_metropole,
        organisme=Partenaire.Organisme.BPIFRANCE,
        nom="Jean Dupont",
        fonction="Chargé d’affaires",
        email="jean.dupont@bpifrance.fr",
        telephone="02 38 00 00 01",
    )
    Mission.objects.create(territoire=chateauroux_metropole, type=Mission.Type.FABRIQUE_PROSPECTIVE, annee=2021)
    ardeche_drome = TerritoireFactory(
        phase=Phase.TEMPS_1,
        code="8401",
        nom="Ardèche Drôme",
        chef_projet_statut=StatutChefProjet.RECRUTEMENT,
        communes=[annonay],
    )
    cap_excellence = TerritoireFactory(
        phase=Phase.TEMPS_1,
        code="0101",
        nom="Communauté d’agglomération Cap Excellence",
        chef_projet_statut=StatutChefProjet.FINANCEMENT,
        communes=[pointe_a_pitre],
    )
    return Programme(
        centre=centre,
        ara=ara,
        guadeloupe=guadeloupe,
        indre=indre,
        ardeche=ardeche,
        chateauroux=chateauroux,
        deols=deols,
        levroux=levroux,
        annonay=annonay,
        pointe_a_pitre=pointe_a_pitre,
        chateauroux_metropole=chateauroux_metropole,
        ardeche_drome=ardeche_drome,
        cap_excellence=cap_excellence,
    )


def personnes_autour(programme: Programme) -> dict:
    """One person per role around Châteauroux Métropole (call with a fast password hasher in the settings)."""
    return {
        "porteur": utilisateur_avec(Role.PORTEUR, siret="12345678900007"),
        "chef_projet": utilisateur_avec(Role.CHEF_PROJET, territoire=programme.chateauroux_metropole),
        "chef_projet_ailleurs": utilisateur_avec(Role.CHEF_PROJET, territoire=programme.ardeche_drome),
        "binome": utilisateur_avec(Role.BINOME, territoire=programme.chateauroux_metropole),
        "instructeur_region": utilisateur_avec(Role.INSTRUCTEUR, region=programme.centre),
        "instructeur_ailleurs": utilisateur_avec(Role.INSTRUCTEUR, region=programme.ara),
        "equipe_nationale": utilisateur_avec(Role.EQUIPE_NATIONALE),
    }


def communes_en_nombre(n: int, *, departement: Departement, debut: int = 0, nom: str = "Saint-Exemple") -> list:
    """`n` communes of `departement`, each in its own EPCI, with codes that no factory sequence uses."""
    return [
        CommuneFactory(
            code=f"{departement.code[:2]}{500 + i:03d}",
            nom=f"{nom} {i}",
            departement=departement,
            population=1000 + i,
        )
        for i in range(debut, debut + n)
    ]


def territoires_en_nombre(n: int, *, departement: Departement, debut: int = 0, phase: int = Phase.TEMPS_2) -> list:
    """`n` territories of two communes each in `departement`; `debut` continues a previous batch."""
    communes = communes_en_nombre(2 * n, departement=departement, debut=2 * debut)
    return [
        TerritoireFactory(
            phase=phase,
            code=f"9{debut + i:03d}",
            nom=f"Territoire de croissance {debut + i}",
            communes=communes[2 * i : 2 * i + 2],
        )
        for i in range(n)
    ]


def nombre_de_requetes(client, url: str) -> int:
    """The queries one GET makes; the page must answer 200."""
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200
    return len(requetes)


def texte(reponse) -> str:
    """The page's HTML with whitespace collapsed, so that sentences split over template lines can be asserted."""
    return re.sub(r"[ \t\r\n]+", " ", reponse.content.decode())  # not str.split(): it would split on no-break spaces
