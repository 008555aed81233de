"""Phase 2 demo: the 12 Centre-Val de Loire territories labelled for Temps II, as the préfecture de région announced
them on 16 February 2024 (seed 001): names, chef de projet status, missions, the État and Région as partners.

The official phase 2 perimeter file is not shipped, so each perimeter is the EPCI of the towns the announcement
names, with all their member communes, flagged « périmètre indicatif » (docs/decisions/0003-import-territoires.md).
"""

from dataclasses import dataclass

from django.db import transaction

from ti.referentiel.models import Commune, Epci, Millesime
from ti.territoires.importer import PerimetreVoulu, RapportImport, ecrire_perimetres
from ti.territoires.models import Mission, Partenaire, Phase, StatutChefProjet, Territoire

EN_POSTE = StatutChefProjet.EN_POSTE
RECRUTEMENT = StatutChefProjet.RECRUTEMENT
FINANCEMENT = StatutChefProjet.FINANCEMENT


class ReferentielIncomplet(Exception):
    """A commune or an EPCI the demo needs is missing from the référentiel (COG 2026 not imported?)."""


@dataclass(frozen=True)
class TerritoireDemo:
    code: str
    nom: str
    statut: StatutChefProjet
    communes: tuple[str, ...]  # INSEE codes of the towns the announcement names; their EPCI make the perimeter
    epcis: tuple[str, ...] = ()  # EPCI named without a town (SIREN)


# In the order of the announcement's list; names as it spells them. Codes from COG 2026.
TERRITOIRES_CVL = (
    TerritoireDemo("2401", "Est du Loiret", EN_POSTE, ("45208", "45155", "45315")),  # Montargis, Gien, Sully-sur-Loire
    TerritoireDemo(
        "2402",
        "Orléans Métropole – Beauce Loirétaine",
        EN_POSTE,
        ("45234",),  # Orléans
        ("200035764",),  # CC de la Beauce Loirétaine
    ),
    TerritoireDemo("2403", "Nord Loiret", RECRUTEMENT, ("45252",)),  # Pithiviers
    TerritoireDemo("2404", "Grand-Est Touraine", EN_POSTE, ("37003",)),  # Amboise
    TerritoireDemo("2405", "Sologne Val de Cher", FINANCEMENT, ("41194", "41232")),  # Romorantin-Lanthenay, Salbris
    TerritoireDemo("2406", "Chartres métropole", EN_POSTE, ("28085",)),  # Chartres
    TerritoireDemo("2407", "Sud Eure-et-Loir", EN_POSTE, ("28088",)),  # Châteaudun
    # « Dreux-Portes euréliennes » in the announcement's text.
    TerritoireDemo("2408", "Vallée de l’Eure-Portes Euréliennes d’Ile de France", RECRUTEMENT, ("28134",)),  # Dreux
    # « Pôle territorial du Perche » in the text.
    TerritoireDemo("2409", "Perche Industrie", RECRUTEMENT, ("28280",)),  # Nogent-le-Rotrou
    TerritoireDemo(
        "2410",
        "Châteauroux-Buzançais-Argenton",
        FINANCEMENT,
        ("36044", "36031", "36006"),  # Châteauroux, Buzançais, Argenton-sur-Creuse
    ),
    TerritoireDemo("2411", "Issoudun", RECRUTEMENT, ("36088",)),  # Issoudun
    TerritoireDemo("2412", "Berry-Sologne", FINANCEMENT, ("18033", "18279")),  # Bourges, Vierzon
)

# (territory code, type, year, description): the missions the announcement reports.
MISSIONS_CVL = (
    ("2401", Mission.Type.CHOC_INDUSTRIEL, 2022, "Mission « choc industriel » sur le bassin de Montargis-Gien."),
    ("2410", Mission.Type.CHOC_INDUSTRIEL, 2022, "Mission « choc industriel » sur le bassin de Châteauroux-Issoudun."),
    ("2408", Mission.Type.REBOND_INDUSTRIEL, 2023, "Mission « rebond industriel » sur Dreux-Portes-Euréliennes."),
    ("2412", Mission.Type.REBOND_INDUSTRIEL, 2023, "Mission « rebond industriel » sur Berry Sologne."),
    (
        "2405",
        Mission.Type.REBOND_INDUSTRIEL,
        2023,
        "Mission « rebond industriel » sur la communauté de communes du Romorantinais et du Monestois.",
    ),
)

# Services, not people: the announcement names no contact we may publish.
PARTENAIRES_CVL = (
    (Partenaire.Organisme.PREFECTURE, "SGAR Centre-Val de Loire", "Préfecture de la région Centre-Val de Loire"),
    (Partenaire.Organisme.PREFECTURE, "DREETS Centre-Val de Loire, service économique", "Chargé de mission"),
    (Partenaire.Organisme.REGION, "Conseil régional Centre-Val de Loire", "Équipes du Conseil régional"),
)


@transaction.atomic
def charger_territoires_cvl() -> RapportImport:
    """Create or refresh the 12 territories; a second run changes nothing. Users' edits are kept."""
    codes = {code for t in TERRITOIRES_CVL for code in t.communes}
    villes = Commune.objects.in_bulk(codes)
    manquantes = sorted(codes - villes.keys())
    sirens = {siren for t in TERRITOIRES_CVL for siren in t.epcis}
    manquants = sorted(sirens - set(Epci.objects.filter(siren__in=sirens).values_list("siren", flat=True)))
    sans_epci = sorted(code for code, ville in villes.items() if ville.epci_id is None)
    if manquantes or manquants or sans_epci:
        raise ReferentielIncomplet(
            "Le référentiel ne permet pas de charger la démonstration (importez le COG 2026) : "
            f"communes absentes {manquantes}, EPCI absents {manquants}, communes sans EPCI {sans_epci}."
        )

    epcis_par_territoire = {t.code: {villes[c].epci_id for c in t.communes} | set(t.epcis) for t in TERRITOIRES_CVL}
    membres: dict[str, list[Commune]] = {}
    for commune in Commune.objects.filter(epci__in={s for e in epcis_par_territoire.values() for s in e}):
        membres.setdefault(commune.epci_id, []).append(commune)
    # A territory whose official perimeter was imported since is left alone: the demo never replaces real data.
    officiels = set(
        Territoire.objects.filter(
            phase=Phase.TEMPS_2, code__in=epcis_par_territoire, perimetre_indicatif=False
        ).values_list("code", flat=True)
    )
    voulus = [
        PerimetreVoulu.depuis(
            code=t.code,
            nom=t.nom,
            communes=[c for siren in sorted(epcis_par_territoire[t.code]) for c in membres[siren]],
        )
        for t in TERRITOIRES_CVL
        if t.code not in officiels
    ]
    millesime = Millesime.courant()
    rapport = RapportImport(
        phase=Phase.TEMPS_2, fichier="démonstration Centre-Val de Loire", millesime=str(millesime or "")
    )
    ecrire_perimetres(
        phase=Phase.TEMPS_2,
        voulus=voulus,
        rapport=rapport,
        motif="Démonstration : territoires de la phase 2 en Centre-Val de Loire (périmètre indicatif)",
        indicatif=True,
    )

    territoires = {t.code: t for t in Territoire.objects.filter(phase=Phase.TEMPS_2, code__in=epcis_par_territoire)}
    # The chef de projet status is governance: set when the territory is created, then left to its users.
    for statut in (EN_POSTE, RECRUTEMENT, FINANCEMENT):
        Territoire.objects.filter(
            identifiant__in=rapport.crees, code__in=[t.code for t in TERRITOIRES_CVL if t.statut == statut]
        ).update(chef_projet_statut=statut)
    for code, type_, annee, description in MISSIONS_CVL:
        Mission.objects.get_or_create(
            territoire=territoires[code], type=type_, annee=annee, defaults={"description": description}
        )
    for territoire in territoires.values():
        for organisme, nom, fonction in PARTENAIRES_CVL:
            Partenaire.objects.get_or_create(
                territoire=territoire, organisme=organisme, nom=nom, defaults={"fonction": fonction}
            )
    return rapport
