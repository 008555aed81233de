"""Phase 2 demo: the 12 Centre-Val de Loire laureates of Temps II, as the préfecture de région announced them on
16 February 2024 (seed 001): chef de projet status, missions, the État and Région as partners.

The territories and their perimeters are the real ones, imported from the ANCT's Temps II commune list
(`import_territoires --phase 2`); the demo finds them by their official name and only adds what the announcement
says about them (docs/decisions/0033-territoires-du-temps-2.md).
"""

from django.db import transaction

from ti.core.models import journaliser
from ti.territoires.identification import cle_nom
from ti.territoires.models import ChangementChefProjet, Mission, Partenaire, Phase, StatutChefProjet, Territoire

EN_POSTE = StatutChefProjet.EN_POSTE
RECRUTEMENT = StatutChefProjet.RECRUTEMENT
FINANCEMENT = StatutChefProjet.FINANCEMENT
COMMUNIQUE = "Communiqué de la préfecture de la région Centre-Val de Loire du 16 février 2024"


class TerritoiresManquants(Exception):
    """The phase 2 territories the demo completes are not imported yet."""


# In the order of the announcement's list; official names of the ANCT list (the announcement's own spelling after).
STATUTS_CVL = {
    "Est du Loiret": EN_POSTE,
    "Orléans Métropole – Beauce Loirétaine": EN_POSTE,
    "Nord Loiret": RECRUTEMENT,
    "Grand Est Touraine": EN_POSTE,  # « Grand-Est Touraine »
    "Sologne Val de Cher": FINANCEMENT,
    "Chartres Métropole": EN_POSTE,
    "Sud Eure-et-Loir": EN_POSTE,
    # « Vallée de l’Eure-Portes Euréliennes d’Ile de France », « Dreux-Portes euréliennes » in its text.
    "Pays de Dreux – Portes Euréliennes d’Île-de-France": RECRUTEMENT,
    "Perche Industrie": RECRUTEMENT,  # « Pôle territorial du Perche » in the text
    "Châteauroux – Buzançais – Argenton": FINANCEMENT,
    "Issoudun": RECRUTEMENT,
    "Berry Sologne": FINANCEMENT,
}

# (territory, type, year, description): the missions the announcement reports.
MISSIONS_CVL = (
    (
        "Est du Loiret",
        Mission.Type.CHOC_INDUSTRIEL,
        2022,
        "Mission « choc industriel » sur le bassin de Montargis-Gien.",
    ),
    (
        "Châteauroux – Buzançais – Argenton",
        Mission.Type.CHOC_INDUSTRIEL,
        2022,
        "Mission « choc industriel » sur le bassin de Châteauroux-Issoudun.",
    ),
    (
        "Pays de Dreux – Portes Euréliennes d’Île-de-France",
        Mission.Type.REBOND_INDUSTRIEL,
        2023,
        "Mission « rebond industriel » sur Dreux-Portes-Euréliennes.",
    ),
    ("Berry Sologne", Mission.Type.REBOND_INDUSTRIEL, 2023, "Mission « rebond industriel » sur Berry Sologne."),
    (
        "Sologne Val de Cher",
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


def territoires_par_nom(noms) -> dict[str, Territoire]:
    """The phase 2 territories named (official names, compared without case, accents or dashes), in one query."""
    voulus = {cle_nom(nom): nom for nom in noms}
    trouves = {
        voulus[cle_nom(t.nom)]: t for t in Territoire.objects.filter(phase=Phase.TEMPS_2) if cle_nom(t.nom) in voulus
    }
    manquants = sorted(set(voulus.values()) - trouves.keys())
    if manquants:
        raise TerritoiresManquants(
            f"Territoires de la phase 2 introuvables ({', '.join(manquants)}) : importez d’abord la liste des "
            "communes du Temps II (manage.py import_territoires --phase 2 "
            "data/territoires-industrie/temps2-communes-2026.csv)."
        )
    return trouves


@transaction.atomic
def charger_territoires_cvl() -> dict[str, Territoire]:
    """Complete the 12 territories; a second run changes nothing, and what users changed since is kept."""
    territoires = territoires_par_nom(STATUTS_CVL)
    # The status is governance: set once from the announcement, with its history row, then left to users.
    deja_suivis = set(
        ChangementChefProjet.objects.filter(territoire__in=territoires.values()).values_list("territoire", flat=True)
    )
    for nom, statut in STATUTS_CVL.items():
        territoire = territoires[nom]
        if territoire.pk in deja_suivis or territoire.chef_projet_statut != StatutChefProjet.AUCUN:
            continue
        ChangementChefProjet.objects.create(
            territoire=territoire, avant=territoire.chef_projet_statut, apres=statut, motif=COMMUNIQUE
        )
        territoire.chef_projet_statut = statut
        territoire.save(update_fields=["chef_projet_statut", "modifie_le"])
        journaliser(
            acteur=None,
            action="chef_projet_statut_change",
            objet=territoire,
            details={"chef_projet_statut": [StatutChefProjet.AUCUN, statut]},
            motif=COMMUNIQUE,
        )
    for nom, type_, annee, description in MISSIONS_CVL:
        Mission.objects.get_or_create(
            territoire=territoires[nom], type=type_, annee=annee, defaults={"description": description}
        )
    for territoire in territoires.values():
        for organisme, nom, fonction in PARTENAIRES_CVL:
            Partenaire.objects.get_or_create(
                territoire=territoire, organisme=organisme, nom=nom, defaults={"fonction": fonction}
            )
    return territoires
