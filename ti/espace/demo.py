"""What awaits the demo accounts on « À faire » (`manage.py charger_demo`, after the accounts, fiches and scheme):

- the porteur's dossier declared incomplete by the instructor, with his request (a correction to make);
- a second dossier of his in instruction, the ADEME's opinion asked of the demo expert and the territory's
  agreement asked of the demo binôme (opinions to give);
- a third dossier just filed, for the instructor to examine;
- the plan d'action of Est du Loiret submitted by the demo chef de projet to the demo binôme (a plan to validate).

Written through the actions, as people would (journal rows, transitions, notifications queued). Idempotent: the
dossiers are found again by their title, the plan is submitted only while it is a draft never submitted.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ti.comptes.demo import DOMAINE, SIRET_PORTEUR, TERRITOIRE
from ti.comptes.models import Utilisateur
from ti.financements.actions import depot, instruction
from ti.financements.demo import CENTRE_VAL_DE_LOIRE, CODE
from ti.financements.models import Avis, Dispositif, Dossier, Enveloppe, Volet
from ti.projets.actions import plans
from ti.projets.models import StatutPlan
from ti.territoires.demo import territoires_par_nom

INCOMPLET = "Récupération de chaleur fatale sur le four de fusion"
EN_INSTRUCTION = "Électrification de la ligne de traitement thermique"
DEPOSE = "Récupération des sables de fonderie usagés"
DEMANDE_DE_CORRECTION = (
    "Le devis signé de l’échangeur thermique manque, et l’étude de faisabilité ne chiffre pas les économies "
    "d’énergie : joignez le devis et complétez l’étude, puis déposez de nouveau le dossier."
)
# A few bytes standing for the pieces: the demo's PDF, the same for every piece.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _compte(local: str) -> Utilisateur:
    return Utilisateur.objects.get(email=f"{local}@{DOMAINE}")


def _deposer(intitule: str, *, porteur, territoire, enveloppe, montants: tuple[str, str, str]) -> Dossier:
    """A dossier filled in and filed by the porteur, as the form would."""
    commune = territoire.communes.filter(code="45208").first() or territoire.communes.order_by("code").first()
    dossier = depot.creer_dossier(
        par=porteur,
        dispositif=enveloppe.dispositif,
        enveloppe=enveloppe,
        territoire=territoire,
        commune=commune,
        volet=Volet.INVESTISSEMENT,
        siret=SIRET_PORTEUR,
        porteur_nom="Forges du Gâtinais (entreprise fictive)",
        porteur_type="entreprise",
        intitule=intitule,
    )
    total, eligible, aide = (Decimal(m) for m in montants)
    dossier = depot.enregistrer(
        dossier=dossier,
        par=porteur,
        version=dossier.version,
        donnees={
            "description": f"{intitule} : un investissement de décarbonation de la fonderie, à Montargis.",
            "porteur_adresse": "Zone industrielle d’Amilly\n45200 Amilly",
            "cout_total": total,
            "cout_eligible": eligible,
            "aide_demandee": aide,
        },
        lignes=[
            {"ligne": None, "supprimer": False, "financeur": "Fonds vert", "montant": aide, "acquis": False},
            {"ligne": None, "supprimer": False, "financeur": "Fonds propres", "montant": total - aide, "acquis": True},
        ],
    )
    for type_piece in depot.pieces_requises(dossier):
        fichier = ContentFile(PDF, name=f"{type_piece}.pdf")
        depot.ajouter_piece(dossier=dossier, par=porteur, type=type_piece, fichier=fichier, type_mime="application/pdf")
    return depot.deposer(dossier=dossier, par=porteur)


def _demander_une_correction(dossier, instructeur) -> str:
    instruction.declarer_incomplet(
        dossier=dossier, par=instructeur, version=dossier.version, motif=DEMANDE_DE_CORRECTION
    )
    return "incomplet : une correction demandée au porteur"


def _demander_les_avis(dossier, instructeur) -> str:
    dossier = instruction.ouvrir_instruction(dossier=dossier, par=instructeur, version=dossier.version)
    echeance = timezone.localdate() + timedelta(days=15)
    for type_avis in (Avis.Type.ADEME, Avis.Type.GOUVERNANCE):
        instruction.demander_avis(
            dossier=dossier, par=instructeur, version=dossier.version, type=type_avis, echeance=echeance
        )
        dossier.refresh_from_db()
    return "en instruction : avis de l’ADEME et du binôme demandés"


def _laisser_a_examiner(dossier, instructeur) -> str:
    return "déposé : à examiner par l’instructeur"


# Title, (total cost, eligible cost, aid requested), what the instructor does once it is filed.
DOSSIERS = [
    (INCOMPLET, ("850000.00", "800000.00", "240000.00"), _demander_une_correction),
    (EN_INSTRUCTION, ("1200000.00", "1000000.00", "300000.00"), _demander_les_avis),
    (DEPOSE, ("400000.00", "380000.00", "120000.00"), _laisser_a_examiner),
]


@transaction.atomic
def charger_a_faire_demo() -> list[str]:
    """Creates what is missing; returns a line per thing created."""
    porteur, instructeur, chef = _compte("porteur"), _compte("instructeur-cvl"), _compte("chef-projet-est-loiret")
    territoire = territoires_par_nom([TERRITOIRE])[TERRITOIRE]
    dispositif = Dispositif.objects.get(code=CODE)
    enveloppe = Enveloppe.objects.get(dispositif=dispositif, region_id=CENTRE_VAL_DE_LOIRE, annee=dispositif.annee)
    crees = []
    existants = set(Dossier.objects.filter(porteur_siret=SIRET_PORTEUR).values_list("intitule", flat=True))
    for intitule, montants, suite in DOSSIERS:
        if intitule in existants:
            continue
        dossier = _deposer(intitule, porteur=porteur, territoire=territoire, enveloppe=enveloppe, montants=montants)
        crees.append(f"dossier {dossier.reference} {suite(dossier, instructeur)}")

    plan = plans.plan_courant(territoire=territoire, par=chef)
    if plan.statut == StatutPlan.BROUILLON and not plan.transitions.exists():
        plans.soumettre_plan(plan=plan, par=chef, motif="Version 1 du plan d’action, pour validation.")
        crees.append(f"plan d’action de {territoire.nom} soumis au binôme")
    return crees
