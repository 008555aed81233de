"""State changes on territories: each one a keyword-only function, one transaction, its check and its journal row."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from ti.comptes import permissions
from ti.comptes.models import Habilitation, Role
from ti.core.models import journaliser
from ti.territoires.models import ChangementChefProjet, FinancementPoste, Partenaire, StatutChefProjet, Territoire

# What the chef de projet and the national team keep; the perimeter and the phase come from the ANCT files.
CHAMPS_MODIFIABLES = (
    "description",
    "binome_elu",
    "binome_elu_mandat",
    "binome_industriel",
    "binome_industriel_entreprise",
    "chef_projet_statut",
    "chef_projet_nom",
    "chef_projet_structure",
    "chef_projet_email",
    "chef_projet_telephone",
)
CHAMPS_PARTENAIRE = ("organisme", "nom", "fonction", "email", "telephone")


@transaction.atomic
def modifier_territoire(
    *,
    territoire: Territoire,
    par,
    donnees: dict,
    partenaires: list[dict] | None = None,
    motif: str = "",
) -> dict:
    """Write the profile and governance fields that changed, and the partners' contacts added or corrected.

    `donnees` maps fields of `CHAMPS_MODIFIABLES` to their new values; `partenaires` lists contacts as dicts of
    `CHAMPS_PARTENAIRE`, with `id` None for a new one. Returns the changes, {key: [before, after]}, also written
    as one journal row (none when nothing changed). Only the chef de projet of the territory and the national
    team may do it (403 otherwise).
    """
    permissions.exiger(par, "modifier_territoire", territoire)
    inconnus = set(donnees) - set(CHAMPS_MODIFIABLES)
    if inconnus:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(inconnus))}")

    # Lock the row: the "before" values of the journal are those this transaction overwrites.
    territoire = Territoire.objects.select_for_update().get(pk=territoire.pk)
    changements = {}
    for champ, valeur in donnees.items():
        avant = getattr(territoire, champ)
        if avant != valeur:
            changements[champ] = [avant, valeur]
            setattr(territoire, champ, valeur)
    if changements:
        territoire.save(update_fields=[*changements, "modifie_le"])
    if "chef_projet_statut" in changements:  # the status keeps its own history, read on the territory's page
        avant, apres = changements["chef_projet_statut"]
        ChangementChefProjet.objects.create(territoire=territoire, avant=avant, apres=apres, par=par, motif=motif)

    changements.update(_enregistrer_partenaires(territoire, partenaires or []))
    if changements:
        journaliser(acteur=par, action="territoire_modifie", objet=territoire, details=changements, motif=motif)
    return changements


def constater_chef_projet(*, territoire_id: int, par, motif: str) -> str:
    """Bring the chef de projet status in line with the habilitations, inside the transaction of the grant or the
    withdrawal (ti/comptes/actions.py, whose caller the national team is): « en poste » while an active chef de
    projet habilitation exists; back to « aucun » when the last one is withdrawn from a territory « en poste »
    (the chef de projet or the national team then says whether a recruitment is under way). Returns the status."""
    territoire = Territoire.objects.select_for_update().get(pk=territoire_id)
    avant = territoire.chef_projet_statut
    en_poste = Habilitation.objects.actives().filter(territoire=territoire, role=Role.CHEF_PROJET).exists()
    if en_poste:
        apres = StatutChefProjet.EN_POSTE
    elif avant == StatutChefProjet.EN_POSTE:
        apres = StatutChefProjet.AUCUN
    else:
        apres = avant
    if apres != avant:
        territoire.chef_projet_statut = apres
        territoire.save(update_fields=["chef_projet_statut", "modifie_le"])
        ChangementChefProjet.objects.create(territoire=territoire, avant=avant, apres=apres, par=par, motif=motif)
        journaliser(
            acteur=par,
            action="chef_projet_statut_change",
            objet=territoire,
            details={"chef_projet_statut": [avant, apres]},
            motif=motif,
        )
    return apres


@transaction.atomic
def financer_poste(
    *, territoire: Territoire, par, financeur: str, montant: Decimal, debut: date, fin: date | None, motif: str = ""
) -> FinancementPoste:
    """Record a financeur's share of the chef de projet's post. Same rights as the territory's profile."""
    permissions.exiger(par, "modifier_territoire", territoire)
    if montant <= 0:
        raise ValueError("Le montant doit être positif.")
    if fin is not None and fin < debut:
        raise ValueError("La fin du financement précède son début.")
    financement = FinancementPoste.objects.create(
        territoire=territoire, financeur=financeur, montant=montant, debut=debut, fin=fin
    )
    journaliser(
        acteur=par,
        action="financement_poste_ajoute",
        objet=territoire,
        details={"financeur": financeur, "montant": str(montant), "debut": str(debut), "fin": str(fin or "")},
        motif=motif,
    )
    return financement


def _enregistrer_partenaires(territoire: Territoire, partenaires: list[dict]) -> dict:
    existants = {p.pk: p for p in Partenaire.objects.select_for_update().filter(territoire=territoire)}
    changements = {}
    for donnees in partenaires:
        valeurs = {champ: donnees.get(champ, "") for champ in CHAMPS_PARTENAIRE}
        if donnees.get("id") is None:
            partenaire = Partenaire.objects.create(territoire=territoire, **valeurs)
            changements[f"partenaire.{partenaire.pk}"] = [None, valeurs]
            continue
        partenaire = existants.get(donnees["id"])
        if partenaire is None:
            raise ValueError(f"Le contact {donnees['id']} n’appartient pas à ce territoire.")
        avant = {champ: getattr(partenaire, champ) for champ in CHAMPS_PARTENAIRE}
        if avant == valeurs:
            continue
        for champ, valeur in valeurs.items():
            setattr(partenaire, champ, valeur)
        partenaire.save(update_fields=[champ for champ in CHAMPS_PARTENAIRE if avant[champ] != valeurs[champ]])
        changements[f"partenaire.{partenaire.pk}"] = [avant, valeurs]
    return changements
