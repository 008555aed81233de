"""Demo fiches-action for the 12 Centre-Val de Loire phase 2 territories (`manage.py charger_demo`).

Inspired by the préfecture de région's announcement of 16 February 2024 (seed 001): the fabrication additive
platform and the digital skills course in Berry-Sologne, the GPECT of Grand-Est Touraine, the écologie industrielle
et territoriale of Sologne Val de Cher, the sobriété foncière of Dreux, the Fonds vert envelope for decarbonation and
skills, the « choc » and « rebond industriel » missions. Everything else is invented: companies, associations and
training bodies carry « (fictive) » in their name and a made-up SIRET whose Luhn keys are right; public porteurs are
the territories' real EPCI, named from the référentiel, without a SIRET (we do not invent an establishment number for
a real body); no person is named.

The fiches are written through `ti.projets.actions.fiches.creer_projet`, like a chef de projet would (journal row,
SIRET and perimeter checks, plan d'action kept in step): by the demo chef de projet in Est du Loiret, by the demo
national team elsewhere. Each fiche gets a stable identifier (uuid5 of its territory and key): a second run finds
them and creates nothing, and leaves alone what users changed since.
"""

import uuid
import zlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from ti.comptes.demo import DOMAINE
from ti.comptes.models import Utilisateur
from ti.core.validateurs import cle_luhn_valide
from ti.projets import referentiels
from ti.projets.actions import fiches, plans
from ti.projets.models import (
    Axe,
    Competence,
    Levier,
    PhaseProjet,
    Projet,
    StatutFinancement,
    StatutPhase,
    Theme,
    TypePorteur,
)
from ti.territoires.demo import TerritoiresManquants, territoires_par_nom
from ti.territoires.models import CommuneTerritoire, Territoire

ESPACE = uuid.UUID("6f1c2d4e-8a0b-4c3d-9e5f-7a1b2c3d4e5f")  # the namespace of the demo fiches' uuid5
CHEF_DE_PROJET = f"chef-projet-est-loiret@{DOMAINE}"  # Est du Loiret, from ti/comptes/demo.py
EQUIPE_NATIONALE = f"equipe-nationale@{DOMAINE}"
TERRITOIRE_DU_CHEF = "Est du Loiret"

S, A, R = StatutFinancement.SOLLICITE, StatutFinancement.ACQUIS, StatutFinancement.REFUSE
ETAT, REGION = "État", "Conseil régional Centre-Val de Loire"
FONDS_VERT = "Fonds vert — Territoires d’industrie en transition écologique 2024"
FV1, FV2, FV3 = (
    f"{FONDS_VERT}, volet 1 investissements industriels",
    f"{FONDS_VERT}, volet 2 compétences",
    f"{FONDS_VERT}, volet 3 rebond industriel",
)
BDT, BPI, ADEME = "Banque des Territoires", "Bpifrance", "ADEME"


class DonneesManquantes(Exception):
    """The territories or the demo accounts the fiches need are not loaded yet."""


@dataclass(frozen=True)
class FicheDemo:
    cle: str  # stable key within the territory: with it, the fiche's uuid5
    titre: str
    description: str
    axe: Axe
    themes: tuple[str, ...]
    phase: PhaseProjet
    statut: StatutPhase
    commune: str  # INSEE code, expected in the perimeter (otherwise a commune of the perimeter is chosen)
    porteur: str  # "" for the EPCI of the commune
    porteur_type: TypePorteur
    budget: int
    financements: tuple[tuple[str, str, int, str], ...] = ()  # (financeur, dispositif, montant, statut)
    debut: tuple[int, int] = (2024, 3)
    duree_mois: int = 24
    emplois_crees: int | None = None
    emplois_maintenus: int | None = None
    tco2e: int | None = None
    hectares: str | None = None
    public: bool = True
    objectifs: str = ""
    partenaires: str = ""
    referent: str = "Chargé(e) de mission développement économique"
    investissement: bool = False  # the budget is an industrial investment


E, EPCI, ASSO, FORM = (
    TypePorteur.ENTREPRISE,
    TypePorteur.EPCI,
    TypePorteur.ASSOCIATION,
    TypePorteur.ORGANISME_FORMATION,
)
RECRUTER, INNOVER, ATTIRER, SIMPLIFIER = Axe.RECRUTER, Axe.INNOVER, Axe.ATTIRER, Axe.SIMPLIFIER
IDEE, ETUDE, OPERATION = PhaseProjet.IDEE, PhaseProjet.ETUDE, PhaseProjet.OPERATION
EN_COURS, EN_RETARD, EN_PAUSE, BLOQUE, ABANDONNE, TERMINE = (
    StatutPhase.EN_COURS,
    StatutPhase.EN_RETARD,
    StatutPhase.EN_PAUSE,
    StatutPhase.BLOQUE,
    StatutPhase.ABANDONNE,
    StatutPhase.TERMINE,
)

FICHES = {
    "Est du Loiret": (  # Est du Loiret: mission « choc industriel » 2022 on Montargis-Gien
        FicheDemo(
            "campus-metiers",
            "Campus des métiers de l’industrie du Montargois",
            "Un lieu unique pour découvrir les métiers industriels du bassin, s’y former en alternance et rencontrer "
            "les entreprises qui recrutent, adossé aux lycées professionnels de l’agglomération.",
            RECRUTER,
            ("competences-attractivite",),
            ETUDE,
            EN_COURS,
            "45208",
            "",
            EPCI,
            850_000,
            ((REGION, "Formation et emploi", 250_000, S), (ETAT, FV2, 200_000, S)),
            objectifs="300 jeunes et demandeurs d’emploi accueillis par an ; 80 contrats d’alternance signés.",
            partenaires="Lycées professionnels, France Travail, UIMM, CCI du Loiret",
        ),
        FicheDemo(
            "four-verrerie",
            "Décarbonation du four de fusion d’une verrerie",
            "Remplacement du four au gaz par un four hybride électrique et récupération de la chaleur fatale pour "
            "le séchage des produits.",
            INNOVER,
            ("decarbonation", "energie"),
            OPERATION,
            EN_COURS,
            "45068",
            "Verrerie du Loing (entreprise fictive)",
            E,
            4_200_000,
            (
                (ETAT, FV1, 900_000, A),
                (BPI, "Prêt vert", 1_500_000, A),
                (REGION, "Aide à l’investissement", 300_000, S),
            ),
            emplois_crees=8,
            emplois_maintenus=140,
            tco2e=3_200,
            investissement=True,
            referent="Directeur(rice) industriel(le)",
        ),
        FicheDemo(
            "friche-gien",
            "Réhabilitation de la friche industrielle de Gien-Sud",
            "Dépollution et redécoupage d’une friche de 9,5 ha pour accueillir des PME industrielles sans "
            "artificialiser de nouvelles terres.",
            ATTIRER,
            ("sobriete-fonciere", "foncier"),
            ETUDE,
            EN_RETARD,
            "45155",
            "",
            EPCI,
            2_600_000,
            ((ETAT, "Fonds vert — recyclage foncier", 800_000, S), (BDT, "Ingénierie", 60_000, A)),
            hectares="9.50",
            public=False,
        ),
        FicheDemo(
            "recrutements-mutualises",
            "Plateforme de mutualisation des recrutements industriels",
            "Les industriels du bassin publient ensemble leurs offres, partagent les candidatures qu’ils ne "
            "retiennent pas et organisent des sessions de recrutement communes.",
            RECRUTER,
            ("competences-attractivite",),
            IDEE,
            EN_COURS,
            "45004",
            "Club des industriels du Gâtinais (association fictive)",
            ASSO,
            120_000,
            (("France Travail", "Appui aux entreprises", 40_000, S),),
            public=False,
        ),
        FicheDemo(
            "guichet-implantation",
            "Guichet unique d’implantation industrielle",
            "Un interlocuteur unique pour les porteurs de projets industriels : foncier disponible, autorisations, "
            "aides mobilisables, recrutement.",
            SIMPLIFIER,
            ("reindustrialisation",),
            OPERATION,
            TERMINE,
            "45208",
            "",
            EPCI,
            90_000,
            ((BDT, "Ingénierie", 45_000, A),),
            debut=(2023, 9),
            duree_mois=12,
        ),
    ),
    "Orléans Métropole – Beauce Loirétaine": (  # Orléans Métropole – Beauce Loirétaine
        FicheDemo(
            "chaleur-saran",
            "Réseau de chaleur industriel de la zone d’activités de Saran",
            "Un réseau de chaleur alimenté par une chaufferie biomasse et la chaleur fatale d’un data center, pour "
            "les industriels de la zone.",
            INNOVER,
            ("decarbonation", "energie"),
            ETUDE,
            EN_COURS,
            "45302",
            "",
            EPCI,
            6_500_000,
            ((ADEME, "Fonds chaleur", 1_800_000, S), (BDT, "Prêt aux collectivités", 1_200_000, S)),
            tco2e=5_400,
        ),
        FicheDemo(
            "competences-cosmetique",
            "Pôle de compétences en formulation cosmétique et pharmaceutique",
            "Des plateaux techniques partagés pour former opérateurs et techniciens de production aux métiers de "
            "la formulation.",
            RECRUTER,
            ("competences-attractivite", "innovation"),
            OPERATION,
            EN_COURS,
            "45234",
            "Institut des métiers de la formulation (organisme fictif)",
            FORM,
            1_100_000,
            ((REGION, "Formation et emploi", 400_000, A), (ETAT, FV2, 250_000, A)),
            emplois_crees=15,
        ),
        FicheDemo(
            "densification-ingre",
            "Densification de la zone industrielle d’Ingré",
            "Recenser les parcelles sous-utilisées et proposer aux entreprises des divisions ou des extensions "
            "verticales plutôt que de nouvelles zones.",
            ATTIRER,
            ("sobriete-fonciere",),
            IDEE,
            EN_COURS,
            "45169",
            "",
            EPCI,
            300_000,
            hectares="12",
            public=False,
        ),
        FicheDemo(
            "robotique-pme",
            "Atelier partagé de robotique collaborative pour les PME",
            "Des robots collaboratifs en prêt et un technicien pour aider les PME à automatiser les tâches pénibles.",
            INNOVER,
            ("innovation", "reindustrialisation"),
            ETUDE,
            EN_PAUSE,
            "45147",
            "Robotique Val de Loire (association fictive)",
            ASSO,
            750_000,
            ((BPI, "Aide pour projet d’innovation", 300_000, R), (REGION, "Aide à l’innovation", 200_000, S)),
            public=False,
        ),
    ),
    "Nord Loiret": (  # Nord Loiret
        FicheDemo(
            "coproduits-agro",
            "Méthanisation et valorisation des coproduits agro-industriels",
            "Une unité de méthanisation alimentée par les pulpes et les eaux de process, dont le biogaz remplace le "
            "gaz fossile des chaudières.",
            INNOVER,
            ("decarbonation", "ecologie-industrielle"),
            ETUDE,
            EN_COURS,
            "45252",
            "Agro-Valor Pithiverais (entreprise fictive)",
            E,
            8_000_000,
            ((ETAT, FV1, 1_200_000, S), (ADEME, "Fonds économie circulaire", 500_000, S)),
            emplois_crees=6,
            tco2e=7_800,
            investissement=True,
        ),
        FicheDemo(
            "transport-zones",
            "Transport à la demande vers les zones d’activités",
            "Des navettes aux horaires des équipes pour que les salariés sans voiture puissent rejoindre les "
            "zones d’activités.",
            ATTIRER,
            ("mobilites",),
            IDEE,
            EN_COURS,
            "45119",
            "",
            EPCI,
            180_000,
            public=False,
        ),
        FicheDemo(
            "decouverte-metiers",
            "Parcours de découverte des métiers de l’industrie pour les collégiens",
            "Visites d’usines, mini-stages et rencontres avec des apprentis pour les élèves de 4e et de 3e.",
            RECRUTER,
            ("competences-attractivite",),
            OPERATION,
            EN_COURS,
            "45252",
            "Industries en Pithiverais (association fictive)",
            ASSO,
            45_000,
            ((REGION, "Orientation", 20_000, A),),
        ),
    ),
    "Grand Est Touraine": (  # Grand-Est Touraine: the GPECT of the announcement
        FicheDemo(
            "gpect",
            "Gestion prévisionnelle des emplois et des compétences territoriale (GPECT)",
            "Diagnostic partagé des besoins en compétences des industriels du Val d’Amboise et plan d’action avec "
            "les acteurs de l’emploi et de la formation.",
            RECRUTER,
            ("competences-attractivite",),
            OPERATION,
            EN_COURS,
            "37003",
            "",
            EPCI,
            220_000,
            ((ETAT, "DREETS — appui RH aux TPE-PME", 90_000, A), (REGION, "Formation et emploi", 60_000, A)),
            debut=(2023, 6),
            duree_mois=36,
            partenaires="DREETS, France Travail, OPCO 2i, Conseil régional",
        ),
        FicheDemo(
            "groupement-employeurs",
            "Groupement d’employeurs industriels du Val d’Amboise",
            "Des emplois à temps plein partagés entre plusieurs PME (maintenance, qualité, logistique).",
            RECRUTER,
            ("competences-attractivite",),
            ETUDE,
            EN_COURS,
            "37163",
            "Emplois partagés du Val d’Amboise (association fictive)",
            ASSO,
            150_000,
            (("France Travail", "Appui aux entreprises", 50_000, S),),
        ),
        FicheDemo(
            "extension-aeronautique",
            "Extension d’un site de fabrication de composants aéronautiques",
            "Un nouveau bâtiment de 4 000 m² et deux centres d’usinage pour répondre à la montée en cadence.",
            ATTIRER,
            ("reindustrialisation",),
            OPERATION,
            EN_RETARD,
            "37185",
            "Mécanique de précision de la Cisse (entreprise fictive)",
            E,
            3_500_000,
            (
                (BPI, "Prêt de développement", 1_000_000, A),
                (REGION, "Aide à l’investissement", 350_000, A),
                (ETAT, FV1, 400_000, R),
            ),
            emplois_crees=35,
            investissement=True,
            public=False,
        ),
        FicheDemo(
            "logement-alternants",
            "Logement temporaire des alternants et des salariés en mobilité",
            "Une résidence de 40 logements meublés à loyer modéré près de la gare d’Amboise.",
            ATTIRER,
            ("logement",),
            IDEE,
            EN_COURS,
            "37003",
            "",
            EPCI,
            1_400_000,
            public=False,
        ),
    ),
    "Sologne Val de Cher": (  # Sologne Val de Cher: the EIT of the announcement, mission « rebond industriel » 2023
        FicheDemo(
            "eit-romorantinais",
            "Démarche d’écologie industrielle et territoriale du Romorantinais",
            "Cartographie des flux de matières, d’eau et d’énergie des entreprises et mise en place de synergies : "
            "mutualisation des déchets, réemploi des palettes, achats groupés d’énergie.",
            INNOVER,
            ("ecologie-industrielle", "decarbonation"),
            OPERATION,
            EN_COURS,
            "41194",
            "",
            EPCI,
            260_000,
            ((ADEME, "Fonds économie circulaire", 120_000, A), (REGION, "Économie circulaire", 50_000, A)),
            tco2e=900,
            debut=(2023, 3),
            duree_mois=36,
        ),
        FicheDemo(
            "bourse-matieres",
            "Bourse aux matières et aux palettes entre industriels",
            "Une plateforme d’échange des chutes, emballages et palettes entre entreprises voisines.",
            INNOVER,
            ("ecologie-industrielle",),
            ETUDE,
            EN_COURS,
            "41232",
            "Réemploi Sologne (association fictive)",
            ASSO,
            80_000,
            ((ADEME, "Fonds économie circulaire", 40_000, S),),
        ),
        FicheDemo(
            "rebond-romorantin",
            "Reconversion d’un ancien site industriel de Romorantin",
            "Suite de la mission « rebond industriel » : reprise du site, dépollution et accueil d’un industriel "
            "de la transition écologique.",
            ATTIRER,
            ("sobriete-fonciere", "reindustrialisation", "foncier"),
            ETUDE,
            EN_COURS,
            "41194",
            "",
            EPCI,
            5_800_000,
            ((ETAT, FV3, 1_500_000, S), (BDT, "Ingénierie", 80_000, A)),
            emplois_crees=120,
            hectares="14",
            public=False,
        ),
        FicheDemo(
            "solaire-gievres",
            "Centrale photovoltaïque en toiture mutualisée sur la zone de Gièvres",
            "Des panneaux sur les toitures de six entreprises et une autoconsommation collective.",
            INNOVER,
            ("energie", "decarbonation"),
            IDEE,
            EN_COURS,
            "41097",
            "Solaires de Sologne (entreprise fictive)",
            E,
            1_900_000,
            tco2e=350,
            investissement=True,
            public=False,
        ),
    ),
    "Chartres Métropole": (  # Chartres métropole
        FicheDemo(
            "laboratoire-cosmetique",
            "Laboratoire partagé d’essais pour la parfumerie et la cosmétique",
            "Un laboratoire d’essais et de stabilité mutualisé pour les PME de la filière.",
            INNOVER,
            ("innovation",),
            OPERATION,
            EN_COURS,
            "28085",
            "Parfums et Formulation (association fictive)",
            ASSO,
            2_200_000,
            (
                (REGION, "Aide à l’innovation", 600_000, A),
                ("Union européenne", "FEDER", 500_000, A),
                (BPI, "Aide pour projet d’innovation", 300_000, S),
            ),
            emplois_crees=18,
        ),
        FicheDemo(
            "mobilite-luce",
            "Plan de mobilité inter-entreprises de la zone de Lucé",
            "Covoiturage, navettes et stationnement vélo sécurisé pour 3 000 salariés.",
            ATTIRER,
            ("mobilites", "decarbonation"),
            ETUDE,
            EN_COURS,
            "28218",
            "",
            EPCI,
            140_000,
            ((ADEME, "Mobilité", 50_000, A),),
            tco2e=420,
        ),
        FicheDemo(
            "fonderie-aluminium",
            "Modernisation et décarbonation d’une fonderie d’aluminium",
            "Fours à induction, recyclage des chutes d’aluminium et récupération de chaleur.",
            INNOVER,
            ("decarbonation", "reindustrialisation"),
            OPERATION,
            EN_RETARD,
            "28229",
            "Fonderie Beauceronne (entreprise fictive)",
            E,
            5_200_000,
            ((ETAT, FV1, 1_100_000, A), (BPI, "Prêt vert", 2_000_000, S)),
            emplois_maintenus=210,
            tco2e=2_800,
            investissement=True,
            public=False,
        ),
        FicheDemo(
            "techniciens-maintenance",
            "Techniciens de maintenance industrielle en alternance",
            "Une promotion annuelle de 24 alternants en maintenance des systèmes de production.",
            RECRUTER,
            ("competences-attractivite",),
            OPERATION,
            TERMINE,
            "28085",
            "Centre de formation industrielle d’Eure-et-Loir (organisme fictif)",
            FORM,
            310_000,
            ((ETAT, FV2, 150_000, A),),
            debut=(2024, 9),
            duree_mois=12,
        ),
    ),
    "Sud Eure-et-Loir": (  # Sud Eure-et-Loir
        FicheDemo(
            "friche-militaire",
            "Requalification d’une ancienne emprise militaire en parc d’activités",
            "Étude de reconversion d’une emprise de 40 ha pour des activités industrielles et logistiques.",
            ATTIRER,
            ("sobriete-fonciere", "foncier"),
            IDEE,
            EN_COURS,
            "28088",
            "",
            EPCI,
            12_000_000,
            ((BDT, "Ingénierie", 150_000, S),),
            hectares="40",
            public=False,
        ),
        FicheDemo(
            "legumineuses",
            "Atelier de transformation de légumineuses",
            "Décorticage et transformation de lentilles et pois chiches cultivés en Beauce.",
            INNOVER,
            ("reindustrialisation", "innovation"),
            ETUDE,
            EN_COURS,
            "28103",
            "Légumes du Dunois (entreprise fictive)",
            E,
            2_800_000,
            ((REGION, "Aide à l’investissement", 400_000, S), (BPI, "Prêt de développement", 600_000, S)),
            emplois_crees=22,
            investissement=True,
        ),
        FicheDemo(
            "forum-metiers",
            "Forum des métiers et job dating industriel du Dunois",
            "Une journée annuelle de rencontre entre industriels, demandeurs d’emploi et lycéens.",
            RECRUTER,
            ("competences-attractivite",),
            OPERATION,
            TERMINE,
            "28088",
            "",
            EPCI,
            25_000,
            (("France Travail", "Appui aux entreprises", 10_000, A),),
            debut=(2024, 3),
            duree_mois=3,
        ),
    ),
    # Dreux: the sobriété foncière of the announcement, mission « rebond industriel » 2023
    "Pays de Dreux – Portes Euréliennes d’Île-de-France": (
        FicheDemo(
            "sobriete-fonciere",
            "Démarche de sobriété foncière des zones d’activités de l’agglomération",
            "Inventaire des fonciers économiques, densification des zones existantes et stratégie de "
            "recyclage des friches avant toute extension.",
            ATTIRER,
            ("sobriete-fonciere",),
            OPERATION,
            EN_COURS,
            "28134",
            "",
            EPCI,
            340_000,
            ((BDT, "Ingénierie", 120_000, A), (ETAT, "Fonds vert — recyclage foncier", 100_000, A)),
            hectares="25",
            debut=(2023, 1),
            duree_mois=36,
        ),
        FicheDemo(
            "friche-saint-remy",
            "Reconversion d’une friche de l’industrie pharmaceutique",
            "Dépollution et réaménagement d’un ancien site de production pour des entreprises industrielles.",
            ATTIRER,
            ("foncier", "reindustrialisation"),
            ETUDE,
            BLOQUE,
            "28359",
            "",
            EPCI,
            7_400_000,
            ((ETAT, "Fonds vert — recyclage foncier", 2_000_000, S),),
            hectares="11",
            public=False,
        ),
        FicheDemo(
            "recyclage-plastiques",
            "Ligne pilote de recyclage des plastiques techniques",
            "Tri, broyage et régénération des plastiques techniques issus de l’automobile et de l’électroménager.",
            INNOVER,
            ("ecologie-industrielle", "decarbonation"),
            OPERATION,
            EN_COURS,
            "28348",
            "Polymères de l’Avre (entreprise fictive)",
            E,
            3_100_000,
            (
                (ETAT, FV1, 700_000, A),
                (ADEME, "Fonds économie circulaire", 300_000, A),
                (BPI, "Prêt vert", 800_000, S),
            ),
            emplois_crees=25,
            tco2e=1_500,
            investissement=True,
        ),
        FicheDemo(
            "chaudronnerie",
            "Centre de formation aux métiers de la chaudronnerie",
            "Un plateau technique de soudage et de chaudronnerie ouvert aux salariés et aux demandeurs d’emploi.",
            RECRUTER,
            ("competences-attractivite",),
            ETUDE,
            EN_COURS,
            "28404",
            "Formations industrielles du Drouais (organisme fictif)",
            FORM,
            900_000,
            ((REGION, "Formation et emploi", 300_000, S), (ETAT, FV2, 200_000, R)),
        ),
        FicheDemo(
            "reprise-mobilier",
            "Rebond industriel : reprise d’un site de fabrication de mobilier",
            "Reprise d’une usine par un repreneur et modernisation de la ligne de production.",
            ATTIRER,
            ("reindustrialisation",),
            OPERATION,
            EN_RETARD,
            "27230",  # Ézy-sur-Eure, in the Eure: the territory crosses into Normandie
            "Ameublement du Drouais (entreprise fictive)",
            E,
            2_400_000,
            ((ETAT, FV3, 600_000, A),),
            emplois_maintenus=85,
            investissement=True,
            public=False,
        ),
    ),
    "Perche Industrie": (  # Perche Industrie
        FicheDemo(
            "campus-perche",
            "Campus connecté des métiers de l’industrie du Perche",
            "Formations à distance tutorées et plateau technique partagé avec les entreprises.",
            RECRUTER,
            ("competences-attractivite",),
            ETUDE,
            EN_COURS,
            "28280",
            "",
            EPCI,
            480_000,
            ((REGION, "Formation et emploi", 150_000, S), (BDT, "Ingénierie", 40_000, A)),
        ),
        FicheDemo(
            "chaufferie-biomasse",
            "Chaufferie biomasse mutualisée pour la zone industrielle",
            "Une chaufferie au bois local qui alimente quatre industriels de la zone.",
            INNOVER,
            ("energie", "decarbonation"),
            IDEE,
            EN_COURS,
            "28280",
            "Bois-Énergie du Perche (entreprise fictive)",
            E,
            2_100_000,
            ((ADEME, "Fonds chaleur", 700_000, S),),
            tco2e=1_900,
            investissement=True,
            public=False,
        ),
        FicheDemo(
            "accueil-salaries",
            "Accueil des nouveaux salariés et de leurs familles",
            "Un service d’accueil : logement, emploi du conjoint, garde d’enfants, découverte du territoire.",
            ATTIRER,
            ("competences-attractivite", "logement"),
            IDEE,
            EN_PAUSE,
            "28236",
            "",
            EPCI,
            60_000,
            public=False,
        ),
    ),
    "Châteauroux – Buzançais – Argenton": (  # Châteauroux-Buzançais-Argenton: mission « choc industriel » 2022
        FicheDemo(
            "sous-traitants",
            "Accompagnement des sous-traitants automobiles vers de nouveaux marchés",
            "Suite de la mission « choc industriel » : diagnostic stratégique et appui à la diversification des "
            "sous-traitants (aéronautique, ferroviaire, défense).",
            INNOVER,
            ("reindustrialisation",),
            OPERATION,
            EN_COURS,
            "36044",
            "",
            EPCI,
            650_000,
            ((ETAT, "Fonds de revitalisation", 300_000, A), (REGION, "Aide au conseil", 150_000, A)),
            emplois_maintenus=320,
        ),
        FicheDemo(
            "zone-deols",
            "Zone d’activités aéroportuaire : viabilisation sobre",
            "Aménagement d’une zone de 18 ha sur d’anciens terrains déjà artificialisés.",
            ATTIRER,
            ("foncier", "sobriete-fonciere"),
            ETUDE,
            EN_COURS,
            "36063",
            "",
            EPCI,
            4_500_000,
            ((BDT, "Prêt aux collectivités", 200_000, S),),
            hectares="18",
            public=False,
        ),
        FicheDemo(
            "decoupe-laser",
            "Atelier de découpe laser partagé",
            "Une machine de découpe laser de forte puissance partagée par les tôliers du sud de l’Indre.",
            INNOVER,
            ("innovation",),
            ETUDE,
            ABANDONNE,
            "36006",
            "Tôlerie de la Creuse (entreprise fictive)",
            E,
            900_000,
            ((BPI, "Aide pour projet d’innovation", 250_000, R),),
            public=False,
        ),
        FicheDemo(
            "ecole-production",
            "École de production en mécanique industrielle",
            "Des jeunes de 15 à 18 ans formés en produisant pour de vrais clients.",
            RECRUTER,
            ("competences-attractivite",),
            OPERATION,
            EN_COURS,
            "36031",
            "École de production de l’Indre (association fictive)",
            ASSO,
            720_000,
            ((ETAT, FV2, 180_000, A), (REGION, "Formation et emploi", 220_000, A)),
            emplois_crees=6,
        ),
    ),
    "Issoudun": (  # Issoudun
        FicheDemo(
            "maintenance-aeronautique",
            "Pôle de maintenance aéronautique : formation et recrutement",
            "Formations qualifiantes de mécaniciens et d’ajusteurs pour les entreprises de maintenance.",
            RECRUTER,
            ("competences-attractivite",),
            ETUDE,
            EN_COURS,
            "36088",
            "",
            EPCI,
            380_000,
            ((REGION, "Formation et emploi", 120_000, S),),
        ),
        FicheDemo(
            "sechoirs-cooperative",
            "Décarbonation des séchoirs d’une coopérative agricole",
            "Pompes à chaleur et récupération d’énergie sur les séchoirs à grains.",
            INNOVER,
            ("decarbonation",),
            ETUDE,
            EN_COURS,
            "36171",
            "Coopérative des Champs d’Arnon (entreprise fictive)",
            E,
            1_600_000,
            ((ETAT, FV1, 450_000, S),),
            tco2e=1_100,
            investissement=True,
        ),
        FicheDemo(
            "requalification-za",
            "Requalification d’une zone d’activités vieillissante",
            "Voirie, réseaux et découpage des lots libres pour accueillir de nouvelles entreprises sans extension.",
            ATTIRER,
            ("sobriete-fonciere",),
            IDEE,
            EN_COURS,
            "36088",
            "",
            EPCI,
            950_000,
            hectares="6",
            public=False,
        ),
    ),
    "Berry Sologne": (  # Berry-Sologne: fabrication additive and digital skills of the announcement, « rebond » 2023
        FicheDemo(
            "fabrication-additive",
            "Plateforme collaborative de fabrication additive",
            "Imprimantes 3D métal et polymère partagées, accompagnement des PME de la mécanique et de la défense "
            "dans leurs premiers projets de fabrication additive.",
            INNOVER,
            ("innovation", "reindustrialisation"),
            OPERATION,
            EN_COURS,
            "18033",
            "Additive Berry (association fictive)",
            ASSO,
            1_800_000,
            (
                (REGION, "Aide à l’innovation", 450_000, A),
                ("Union européenne", "FEDER", 400_000, A),
                (BPI, "Aide pour projet d’innovation", 200_000, S),
            ),
            emplois_crees=14,
            debut=(2022, 9),
            duree_mois=48,
        ),
        FicheDemo(
            "parcours-numerique",
            "Parcours de formation aux métiers du numérique industriel",
            "Un parcours de six mois (maintenance connectée, données de production, cybersécurité des ateliers) "
            "pour des demandeurs d’emploi et des salariés en reconversion.",
            RECRUTER,
            ("competences-attractivite",),
            OPERATION,
            TERMINE,
            "18279",
            "Numérique et Industrie en Berry (organisme fictif)",
            FORM,
            420_000,
            ((REGION, "Formation et emploi", 180_000, A), ("France Travail", "Formation", 90_000, A)),
            debut=(2022, 1),
            duree_mois=24,
        ),
        FicheDemo(
            "rebond-vierzon",
            "Rebond industriel du bassin de Vierzon : reprise de site",
            "Suite de la mission « rebond industriel » : accueil d’un industriel sur un site existant remis à niveau.",
            ATTIRER,
            ("reindustrialisation", "foncier"),
            ETUDE,
            EN_COURS,
            "18279",
            "",
            EPCI,
            3_900_000,
            ((ETAT, FV3, 900_000, S),),
            emplois_crees=60,
            hectares="7",
            public=False,
        ),
        FicheDemo(
            "traitement-surface",
            "Décarbonation d’une ligne de traitement de surface",
            "Bains chauffés par pompe à chaleur, récupération de chaleur et recyclage des eaux de rinçage.",
            INNOVER,
            ("decarbonation",),
            OPERATION,
            EN_RETARD,
            "18141",
            "Traitements de surface de l’Yèvre (entreprise fictive)",
            E,
            2_300_000,
            ((ETAT, FV1, 550_000, A), (BPI, "Prêt vert", 700_000, A)),
            emplois_maintenus=65,
            tco2e=850,
            investissement=True,
            public=False,
        ),
        FicheDemo(
            "referents-rh",
            "Réseau des référents ressources humaines des PME industrielles",
            "Rencontres trimestrielles et outils partagés (fiches de poste, intégration, alternance).",
            SIMPLIFIER,
            ("competences-attractivite",),
            IDEE,
            EN_COURS,
            "18205",
            "Industriels du Cher (association fictive)",
            ASSO,
            35_000,
        ),
    ),
}


def siret_fictif(cle: str) -> str:
    """A made-up SIRET, the same for the same key, whose SIREN (9 digits) and SIRET (14) Luhn keys are right."""
    graine = zlib.crc32(cle.encode())
    siren = _avec_cle(f"9{graine % 10_000_000:07d}")
    return _avec_cle(f"{siren}{graine % 997 + 1:04d}")


def _avec_cle(debut: str) -> str:
    """`debut` followed by the one digit that makes the Luhn key right."""
    return next(debut + chiffre for chiffre in "0123456789" if cle_luhn_valide(debut + chiffre))


def uuid_de(identifiant: str, cle: str) -> uuid.UUID:
    return uuid.uuid5(ESPACE, f"{identifiant}/{cle}")


def _fin(debut: date, mois: int) -> date:
    annee, mois_ = divmod(debut.month - 1 + mois, 12)
    return date(debut.year + annee, mois_ + 1, 1)


def _communes(territoire: Territoire) -> tuple[dict, list]:
    """The perimeter's communes by code, and in a fixed order (largest first) for the fallback."""
    appartenances = CommuneTerritoire.objects.filter(territoire=territoire).select_related("commune__epci")
    communes = sorted((a.commune for a in appartenances), key=lambda c: (-c.population, c.code))
    return {c.code: c for c in communes}, communes


def _donnees(fiche: FicheDemo, commune, themes: dict) -> dict:
    debut = date(*fiche.debut, 1)
    if fiche.porteur:
        porteur = {"porteur_nom": fiche.porteur, "porteur_siret": siret_fictif(fiche.porteur)}
    else:
        porteur = {"porteur_nom": commune.epci.nom if commune and commune.epci else "", "porteur_siret": ""}
    return {
        "titre": fiche.titre,
        "description": fiche.description,
        "objectifs": fiche.objectifs,
        **porteur,
        "porteur_type": fiche.porteur_type,
        "referent_fonction": fiche.referent,
        "axe": fiche.axe,
        "themes": [themes[code] for code in fiche.themes],
        "phase": fiche.phase,
        "phase_statut": fiche.statut,
        "commune": commune,
        "date_debut": debut,
        "date_fin": _fin(debut, fiche.duree_mois),
        "budget": Decimal(fiche.budget),
        "emplois_crees": fiche.emplois_crees,
        "emplois_maintenus": fiche.emplois_maintenus,
        "investissement": Decimal(fiche.budget) if fiche.investissement else None,
        "tco2e_evitees": Decimal(fiche.tco2e) if fiche.tco2e is not None else None,
        "hectares": Decimal(fiche.hectares) if fiche.hectares is not None else None,
        "partenaires": fiche.partenaires,
        "public": fiche.public,
    }


def _auteurs() -> tuple[Utilisateur | None, Utilisateur]:
    comptes = {u.email: u for u in Utilisateur.objects.filter(email__in=[CHEF_DE_PROJET, EQUIPE_NATIONALE])}
    if EQUIPE_NATIONALE not in comptes:
        raise DonneesManquantes(
            "Le compte de démonstration de l’équipe nationale est introuvable : chargez d’abord les comptes de "
            "démonstration (manage.py charger_demo)."
        )
    return comptes.get(CHEF_DE_PROJET), comptes[EQUIPE_NATIONALE]


@transaction.atomic
def charger_projets_demo() -> list[Projet]:
    """Create the demo fiches that do not exist yet (found by their uuid); returns those created.

    Then makes sure Est du Loiret has its plan d'action (version 1 in brouillon on a fresh database)."""
    try:
        territoires = territoires_par_nom(FICHES)
    except TerritoiresManquants as e:
        raise DonneesManquantes(str(e)) from e
    chef, equipe_nationale = _auteurs()
    themes = Theme.objects.in_bulk()
    if not {code for fiches_ in FICHES.values() for fiche in fiches_ for code in fiche.themes} <= themes.keys():
        # Loaded by a data migration, but a test database flushed since (browser journeys) has lost them.
        referentiels.charger(Theme, Competence, Levier)
        themes = Theme.objects.in_bulk()
    existants = set(Projet.objects.filter(territoire__in=territoires.values()).values_list("uuid", flat=True))
    crees = []
    for nom, fiches_du_territoire in FICHES.items():
        territoire = territoires[nom]
        # Keyed on the identifier, which never changes: a base whose territories were carried over finds its fiches.
        a_creer = [(f, uuid_de(territoire.identifiant, f.cle)) for f in fiches_du_territoire]
        a_creer = [(f, u) for f, u in a_creer if u not in existants]
        if not a_creer:
            continue
        par_code, ordonnees = _communes(territoire)
        auteur = chef if nom == TERRITOIRE_DU_CHEF and chef is not None else equipe_nationale
        for rang, (fiche, identite) in enumerate(a_creer):
            # A perimeter changed since (an official file imported) may no longer hold the intended commune.
            commune = par_code.get(fiche.commune) or (ordonnees[rang % len(ordonnees)] if ordonnees else None)
            donnees = _donnees(fiche, commune, themes)
            financements = [
                {"financeur": f, "dispositif": d, "montant": Decimal(m), "statut": s}
                for f, d, m, s in fiche.financements
            ]
            projet = fiches.creer_projet(territoire=territoire, par=auteur, donnees=donnees, financements=financements)
            Projet.objects.filter(pk=projet.pk).update(uuid=identite)  # a stable identity: the next run finds it
            crees.append(projet)

    # Creating a fiche already opens version 1 (`noter_changement`); this finds it, or opens it if all were there.
    plans.plan_courant(territoire=territoires[TERRITOIRE_DU_CHEF], par=chef or equipe_nationale)
    return crees
