"""The Fonds vert demo (`manage.py charger_demo`): the 2024 scheme and its regional envelopes.

Sourced (seeds 000 and 001): 100 M€ of the Fonds vert in 2024 for the Territoires d’industrie, applications filed
from January 2024, structuring and environmentally ambitious industrial investments and skills investments for the
ecological transition, handled by the Préfectures de région with the ADEME, in concertation with the Conseils
régionaux; Centre-Val de Loire's envelope is 5,6 M€. Not sourced: the other régions' envelopes (7 M€ for each of the
12 other metropolitan régions, 10,4 M€ left to split: see docs/decisions/0012-enveloppes.md), the closing date
(end of Temps II, 31 December 2027, so that the demo stays usable), the attribuant's SIRET (left blank).

Written through the actions, by the demo national team account (journal rows). Idempotent: a second run finds the
scheme by its code and only creates the envelopes still missing; it never overwrites what users changed since.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ti.comptes.demo import DOMAINE
from ti.comptes.models import Utilisateur
from ti.financements.actions.enveloppes import (
    creer_dispositif,
    designer_signataire,
    fixer_enveloppe,
    fixer_references_juridiques,
)
from ti.financements.models import Dispositif, Enveloppe, Volet
from ti.referentiel.models import Region

CODE = "fonds-vert-ti-2024"
ANNEE = 2024
MONTANT = Decimal("100000000.00")
EQUIPE_NATIONALE = f"equipe-nationale@{DOMAINE}"
CENTRE_VAL_DE_LOIRE = "24"
ENVELOPPE_CVL = Decimal("5600000.00")  # seed 001, préfecture de région, 16 February 2024
ENVELOPPE_AUTRE_REGION = Decimal("7000000.00")  # illustrative: not sourced (decision 0012)

REGLES_ELIGIBILITE = """\
Projets situés dans un territoire d’industrie de la phase 2 (2023-2027), en lien avec la stratégie industrielle \
du territoire, dont l’investissement n’a pas commencé au dépôt de la demande.

Volet 1 — investissements industriels : investissements industriels structurants et ambitieux sur le plan \
environnemental (protection de l’environnement, gestion des ressources, décarbonation, génie écologique…), \
contribuant à l’émergence, au renforcement ou à la réindustrialisation de chaînes de valeur industrielles clés pour \
la transition écologique. Demandes déposées par des entreprises.

Volet 2 — compétences : investissements relatifs au développement des compétences liées à la transition écologique \
industrielle. Demandes déposées par des entreprises, des organismes de formation ou des collectivités.

Volet 3 — rebond industriel : projets industriels des territoires accompagnés par une mission « rebond industriel » \
ou « choc industriel ». Demandes déposées par des entreprises.

Les demandes sont instruites de manière déconcentrée par les préfectures de région avec le soutien de l’ADEME, \
en concertation avec les conseils régionaux."""

# The public aid page's texts (seeds 000 and 001; also written on an existing scheme by migration 0010). No rate
# nor ceiling is sourced: the page states the rules the platform enforces, nothing more (decision 0054).
TAUX_ET_PLAFONDS = """\
Le taux et le montant de l’aide sont fixés par le préfet de région à l’issue de l’instruction, projet par projet.

L’aide demandée ne dépasse pas le coût éligible du projet, et les aides accordées dans une région ne dépassent \
jamais son enveloppe régionale (voir le tableau des enveloppes ci-dessous)."""

CALENDRIER = """\
Les demandes sont déposées au fil de l’eau, dès janvier 2024 et jusqu’à la clôture du dispositif.

Après le dépôt, la préfecture de région vérifie que le dossier est complet (elle peut demander des pièces), puis \
l’instruit avec l’avis technique de l’ADEME, l’avis du Conseil régional et l’accord de la gouvernance du territoire \
d’industrie. Le préfet de région décide ; une convention est signée, puis l’aide est versée (avance, acomptes, \
solde)."""

CONTACTS = """\
Au niveau local, les préfectures et les sous-préfectures ainsi que les équipes du Conseil régional sont à la \
disposition des élus et des industriels des territoires d’industrie. Les demandes sont gérées par les préfectures de \
région (SGAR, DREETS) avec le soutien de l’ADEME, en concertation avec les Conseils régionaux.

Le chef de projet de votre territoire d’industrie vous oriente : ses coordonnées figurent sur la page du territoire."""

DESCRIPTION = (
    "En réponse à la loi Industrie verte, 100 millions d’euros du Fonds vert accompagnent en 2024 la transition "
    "écologique des industriels et la reconstitution de filières dans les territoires d’industrie."
)


# The legal texts the letters cite. Seed 000 names the loi Industrie verte; the others are the public texts of the
# Fonds vert (programme 380 of the 2024 budget) and of the State's investment subsidies: demo data, to be checked by
# the national team against the scheme's own texts before production (docs/decisions/0058-dossier-du-porteur.md).
REFERENCES_JURIDIQUES = "\n".join(
    [
        "Loi n° 2023-973 du 23 octobre 2023 relative à l’industrie verte",
        "Loi n° 2023-1322 du 29 décembre 2023 de finances pour 2024, programme 380 « Fonds d’accélération de la "
        "transition écologique dans les territoires »",
        "Décret n° 2018-514 du 25 juin 2018 relatif aux subventions de l’État pour des projets d’investissement",
    ]
)
# The authority that signs the decisions on the Centre-Val de Loire envelope (seed 001: the préfecture de région
# instructs); the name is left blank, not sourced. The other régions' envelopes have no signatory in the demo: their
# letters are refused until one is set, as in production.
SIGNATAIRE_CVL = "Le préfet de la région Centre-Val de Loire, préfet du Loiret"
SIRET_SIGNATAIRE_CVL = "17450001400017"  # the attribuant of the region's grants in the open data (SCDL)


class DonneesManquantes(Exception):
    """The demo accounts or the référentiel the scheme needs are not loaded yet."""


@dataclass(frozen=True)
class Resultat:
    dispositif: Dispositif
    dispositif_cree: bool
    enveloppes_creees: int


def montants_des_enveloppes(regions) -> dict[str, Decimal]:
    """Région code → envelope: the sourced 5,6 M€ for Centre-Val de Loire, 7 M€ for every other metropolitan
    région. Deterministic; 13 régions give 89,6 M€, below the 100 M€ of the scheme."""
    return {
        region.code: ENVELOPPE_CVL if region.code == CENTRE_VAL_DE_LOIRE else ENVELOPPE_AUTRE_REGION
        for region in regions
    }


@transaction.atomic
def charger_fonds_vert_demo() -> Resultat:
    equipe_nationale = Utilisateur.objects.filter(email=EQUIPE_NATIONALE).first()
    if equipe_nationale is None:
        raise DonneesManquantes(
            f"Compte « {EQUIPE_NATIONALE} » introuvable : créez d’abord les comptes de démonstration."
        )
    regions = list(Region.objects.filter(zone="metro").order_by("code"))
    if CENTRE_VAL_DE_LOIRE not in {r.code for r in regions}:
        raise DonneesManquantes(
            "Région Centre-Val de Loire introuvable : importez d’abord le COG (manage.py import_cog)."
        )

    dispositif = Dispositif.objects.filter(code=CODE).first()
    cree = dispositif is None
    if cree:
        dispositif = creer_dispositif(
            par=equipe_nationale,
            nom="Fonds vert — Territoires d’industrie en transition écologique 2024",
            code=CODE,
            annee=ANNEE,
            montant=MONTANT,
            volets=[Volet.INVESTISSEMENT, Volet.COMPETENCES, Volet.REBOND],
            ouverture=date(2024, 1, 1),
            # Open for deposits the year after the demo is loaded, whenever that is.
            cloture=date(timezone.localdate().year + 1, 12, 31),
            description=DESCRIPTION,
            regles_eligibilite=REGLES_ELIGIBILITE,
            nom_attribuant="État — préfectures de région",
            taux_et_plafonds=TAUX_ET_PLAFONDS,
            calendrier=CALENDRIER,
            contacts=CONTACTS,
        )
    if not dispositif.references_juridiques:
        fixer_references_juridiques(dispositif=dispositif, par=equipe_nationale, references=REFERENCES_JURIDIQUES)
    existantes = set(Enveloppe.objects.filter(dispositif=dispositif, annee=ANNEE).values_list("region_id", flat=True))
    montants = montants_des_enveloppes(regions)
    creees = 0
    for region in regions:
        if region.code in existantes:
            continue
        fixer_enveloppe(
            dispositif=dispositif,
            region=region,
            annee=ANNEE,
            montant=montants[region.code],
            par=equipe_nationale,
            motif="Démonstration : répartition initiale du Fonds vert 2024",
        )
        creees += 1
    cvl = Enveloppe.objects.filter(
        dispositif=dispositif, annee=ANNEE, region_id=CENTRE_VAL_DE_LOIRE, signataire_qualite=""
    ).first()
    if cvl is not None:
        designer_signataire(enveloppe=cvl, par=equipe_nationale, qualite=SIGNATAIRE_CVL, siret=SIRET_SIGNATAIRE_CVL)
    return Resultat(dispositif=dispositif, dispositif_cree=cree, enveloppes_creees=creees)
