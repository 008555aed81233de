"""Demo engineering missions: the Centre-Val de Loire missions of the seed (2 « choc industriel » in 2022 on
Montargis-Gien and Châteauroux-Issoudun, 3 « rebond industriel » since 2023), on the real phase 2 territories found by
their names. Firms, order numbers, amounts and days are invented: the announcement gives none.

The outcomes: each mission is linked to demo fiches-action of its territory (ti/projets/demo.py) whose financing
obtained adds up to the 6 M€ the seed says were mobilised around them; the figure is computed, not written here."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from ti.comptes.demo import DOMAINE
from ti.comptes.models import Utilisateur
from ti.core.models import journaliser
from ti.ingenierie.actions_phases import creer_phases
from ti.ingenierie.models import PHASES_PAR_DEFAUT, Budget, Mission, StatutMission, TypeMission, region_du_territoire
from ti.projets.demo import uuid_de
from ti.projets.models import Projet
from ti.territoires.demo import territoires_par_nom

CABINET = "Cabinet Exemple Conseil (fictif)"
CONSULTANT = f"consultant@{DOMAINE}"
TVA = Decimal("1.2")

# The national budgets (excl. VAT) the demo's orders draw on, and the current year's, for new orders.
BUDGETS = {2022: Decimal("150000"), 2023: Decimal("150000"), 2026: Decimal("1500000")}

# (territory, kind, year, title, order number, amount excl. VAT, days planned, days consumed, status)
MISSIONS = (
    ("Est du Loiret", TypeMission.CHOC, 2022, "Choc industriel du bassin de Montargis-Gien", "ANCT-2022-017",
     Decimal("48000"), 40, 40, StatutMission.TERMINEE),
    ("Châteauroux – Buzançais – Argenton", TypeMission.CHOC, 2022, "Choc industriel du bassin de Châteauroux-Issoudun",
     "ANCT-2022-018", Decimal("52000"), 44, 44, StatutMission.TERMINEE),
    ("Pays de Dreux – Portes Euréliennes d’Île-de-France", TypeMission.REBOND, 2023,
     "Rebond industriel de Dreux-Portes-Euréliennes", "ANCT-2023-041", Decimal("36000"), 30, 30,
     StatutMission.TERMINEE),
    ("Berry Sologne", TypeMission.REBOND, 2023, "Rebond industriel de Berry Sologne", "ANCT-2023-042",
     Decimal("36000"), 30, 30, StatutMission.TERMINEE),
    ("Sologne Val de Cher", TypeMission.REBOND, 2023, "Rebond industriel du Romorantinais et du Monestois",
     "ANCT-2023-043", Decimal("42000"), 35, 12, StatutMission.EN_COURS),
)  # fmt: skip

# Territory → the keys of its demo fiches the mission brought out or moved forward (2 400 000 + 400 000 + 1 600 000
# + 1 520 000 + 80 000 € obtained: 6 M€).
RESULTATS = {
    "Est du Loiret": ("four-verrerie",),
    "Châteauroux – Buzançais – Argenton": ("ecole-production",),
    "Pays de Dreux – Portes Euréliennes d’Île-de-France": ("recyclage-plastiques", "reprise-mobilier"),
    "Berry Sologne": ("traitement-surface", "parcours-numerique"),
    "Sologne Val de Cher": ("rebond-romorantin",),
}

# The due dates of the phases of the mission in progress: the first two are past, their deliverables late.
ECHEANCES = ((2023, 9, 30), (2024, 3, 31), (2027, 3, 31), (2027, 6, 30))


def _fiches_de(territoire) -> list[Projet]:
    cles = RESULTATS.get(territoire.nom, ())
    return list(Projet.objects.filter(uuid__in=[uuid_de(territoire.identifiant, cle) for cle in cles]))


@transaction.atomic
def charger_missions_demo() -> list[Mission]:
    """Creates the missions that are missing (found again by territory, kind and year) and names the demo consultant
    on the one in progress; returns those created."""
    territoires = territoires_par_nom({ligne[0] for ligne in MISSIONS})
    consultant = Utilisateur.objects.filter(email=CONSULTANT).first()
    for annee, montant in BUDGETS.items():
        Budget.objects.get_or_create(annee=annee, defaults={"montant_ht": montant})
    creees = []
    for nom, type_, annee, intitule, commande, ht, prevus, consommes, statut in MISSIONS:
        mission, cree = Mission.objects.get_or_create(
            territoire=territoires[nom],
            type=type_,
            annee=annee,
            defaults={
                "region": region_du_territoire(territoires[nom]),
                "intitule": intitule,
                "cabinet": CABINET,
                "numero_commande": commande,
                "date_commande": date(annee, 3, 1),
                "montant_ht": ht,
                "montant_ttc": ht * TVA,
                "jours_prevus": prevus,
                "jours_consommes": consommes,
                "statut": statut,
            },
        )
        if not cree:
            continue
        creees.append(mission)
        journaliser(acteur=None, action="ingenierie.mission_creee", objet=mission, motif="Données de démonstration")
        mission.projets.set(_fiches_de(mission.territoire))
        for phase, echeance in zip(creer_phases(mission, PHASES_PAR_DEFAUT), ECHEANCES, strict=True):
            phase.echeance = date(*echeance) if statut == StatutMission.EN_COURS else None
            phase.save(update_fields=["echeance"])
        if statut == StatutMission.EN_COURS and consultant is not None:
            mission.consultants.add(consultant)
    return creees


def phrase_du_consultant() -> str:
    """For the terminal of `make run`: which account works on which mission."""
    mission = Mission.objects.filter(consultants__email=CONSULTANT, statut=StatutMission.EN_COURS).first()
    if mission is None:
        return ""
    return f"La consultante de démonstration ({CONSULTANT}) a une mission en cours : « {mission.intitule} »."
