"""The national team's steps on a dispositif: open it, set its regional envelopes, move credits between them.

Each step is a keyword-only function in one transaction: the permission check (403), the rule checks (`Refus`,
a French sentence the page shows), the writes and a journal row. Two rules are held here, under row locks:
- the envelopes of a dispositif never add up to more than its amount (the dispositif's row is locked, so two
  people setting envelopes at once are serialised);
- an envelope never drops below what it has already granted (`montant_accorde`, kept by the decision action under
  a lock on the same envelope row; the database CHECK `enveloppe_jamais_depassee` is the last guard).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from ti.comptes import permissions
from ti.core.etats import Refus
from ti.core.formats import euros
from ti.core.models import journaliser
from ti.core.validateurs import valider_siret
from ti.financements.models import Dispositif, Enveloppe, TransfertCredits, Volet
from ti.referentiel.models import Region


@transaction.atomic
def creer_dispositif(
    *,
    par,
    nom: str,
    code: str,
    annee: int,
    montant: Decimal,
    volets: list[str],
    ouverture: date,
    cloture: date,
    description: str = "",
    regles_eligibilite: str = "",
    siret_attribuant: str = "",
    nom_attribuant: str = "",
    taux_et_plafonds: str = "",
    calendrier: str = "",
    contacts: str = "",
) -> Dispositif:
    permissions.exiger(par, "gerer_dispositif")
    if montant <= 0:
        raise Refus("Le montant du dispositif doit être positif.")
    if cloture < ouverture:
        raise Refus("La date de clôture doit suivre la date d’ouverture.")
    inconnus = set(volets) - set(Volet.values)
    if not volets or inconnus:
        raise Refus("Choisissez au moins un volet parmi les volets 1, 2 et 3.")
    if Dispositif.objects.filter(code=code).exists():
        raise Refus(f"Un dispositif porte déjà le code « {code} ».")
    dispositif = Dispositif.objects.create(
        nom=nom,
        code=code,
        annee=annee,
        montant=montant,
        volets=[v for v in Volet.values if v in volets],
        ouverture=ouverture,
        cloture=cloture,
        description=description,
        regles_eligibilite=regles_eligibilite,
        siret_attribuant=siret_attribuant,
        nom_attribuant=nom_attribuant,
        taux_et_plafonds=taux_et_plafonds,
        calendrier=calendrier,
        contacts=contacts,
    )
    journaliser(
        acteur=par,
        action="dispositif_cree",
        objet=dispositif,
        details={"montant": str(montant), "volets": dispositif.volets, "ouverture": str(ouverture)},
    )
    return dispositif


@transaction.atomic
def fixer_enveloppe(*, dispositif: Dispositif, region: Region, annee: int, montant: Decimal, par, motif: str = ""):
    """Create or change the envelope of one région and year. Returns the envelope (None if there was none to
    create and the amount is zero)."""
    permissions.exiger(par, "gerer_dispositif")
    dispositif = Dispositif.objects.select_for_update().get(pk=dispositif.pk)  # serialise the sum check
    if montant < 0:
        raise Refus("Le montant d’une enveloppe ne peut pas être négatif.")
    enveloppe = Enveloppe.objects.select_for_update().filter(dispositif=dispositif, region=region, annee=annee).first()
    if enveloppe is None and montant == 0:
        return None
    avant = enveloppe.montant if enveloppe else Decimal("0")
    if montant == avant:
        return enveloppe
    autres = (Enveloppe.objects.filter(dispositif=dispositif).exclude(pk=getattr(enveloppe, "pk", None))).aggregate(
        total=Sum("montant")
    )["total"] or Decimal("0")
    if autres + montant > dispositif.montant:
        raise Refus(
            f"L’enveloppe de {region.nom} ({euros(montant)}) porterait le total des enveloppes à "
            f"{euros(autres + montant)}, au-delà du montant du dispositif ({euros(dispositif.montant)}) : "
            f"il reste {euros(dispositif.montant - autres)} à répartir."
        )
    if enveloppe is not None and montant < enveloppe.montant_accorde:
        raise Refus(
            f"L’enveloppe de {region.nom} a déjà accordé {euros(enveloppe.montant_accorde)} : "
            f"elle ne peut pas descendre à {euros(montant)}."
        )
    if enveloppe is None:
        enveloppe = Enveloppe.objects.create(dispositif=dispositif, region=region, annee=annee, montant=montant)
    else:
        enveloppe.montant = montant
        enveloppe.save(update_fields=["montant"])
    journaliser(
        acteur=par,
        action="enveloppe_fixee",
        objet=enveloppe,
        details={"montant": [str(avant), str(montant)]},
        motif=motif,
    )
    return enveloppe


@transaction.atomic
def repartir_enveloppes(*, dispositif: Dispositif, annee: int, montants: dict, par, motif: str = "") -> list:
    """Set several envelopes at once, all or nothing: `montants` maps a Region to its new amount.

    Decreases are applied before increases, so that moving credits from one région to another never looks, half
    way, like an overflow of the dispositif."""
    permissions.exiger(par, "gerer_dispositif")
    dispositif = Dispositif.objects.select_for_update().get(pk=dispositif.pk)
    total = sum(montants.values(), Decimal("0"))
    autres = Enveloppe.objects.filter(dispositif=dispositif).exclude(annee=annee, region__in=list(montants)).aggregate(
        total=Sum("montant")
    )["total"] or Decimal("0")
    if autres + total > dispositif.montant:
        raise Refus(
            f"Les enveloppes totaliseraient {euros(autres + total)}, au-delà du montant du dispositif "
            f"({euros(dispositif.montant)}) de {euros(autres + total - dispositif.montant)}."
        )
    actuels = dict(
        Enveloppe.objects.filter(dispositif=dispositif, annee=annee, region__in=list(montants)).values_list(
            "region_id", "montant"
        )
    )
    ordre = sorted(montants.items(), key=lambda item: (item[1] - actuels.get(item[0].pk, 0), item[0].pk))
    return [
        fixer_enveloppe(dispositif=dispositif, region=region, annee=annee, montant=montant, par=par, motif=motif)
        for region, montant in ordre
    ]


@transaction.atomic
def transferer_credits(*, depuis: Enveloppe, vers: Enveloppe, montant: Decimal, par, motif: str) -> TransfertCredits:
    """Move credits from one regional envelope of a dispositif to another; the dispositif's total is unchanged."""
    permissions.exiger(par, "gerer_dispositif")
    if montant is None or montant <= 0:
        raise Refus("Le montant à transférer doit être positif.")
    if depuis.pk == vers.pk:
        raise Refus("Choisissez deux enveloppes différentes.")
    if not (motif or "").strip():
        raise Refus("Indiquez le motif du transfert.")
    # Both rows locked in a fixed order (by pk): two transfers in opposite directions cannot deadlock.
    verrouillees = {
        pk: Enveloppe.objects.select_for_update().select_related("region").get(pk=pk)
        for pk in sorted([depuis.pk, vers.pk])
    }
    depuis, vers = verrouillees[depuis.pk], verrouillees[vers.pk]
    if depuis.dispositif_id != vers.dispositif_id:
        raise Refus("Les crédits ne se transfèrent qu’entre enveloppes d’un même dispositif.")
    if depuis.montant - montant < depuis.montant_accorde:
        raise Refus(
            f"L’enveloppe de {depuis.region.nom} a accordé {euros(depuis.montant_accorde)} sur "
            f"{euros(depuis.montant)} : elle peut céder au plus {euros(depuis.reste)}."
        )
    avant_depuis, avant_vers = depuis.montant, vers.montant
    depuis.montant -= montant
    vers.montant += montant
    depuis.save(update_fields=["montant"])
    vers.save(update_fields=["montant"])
    transfert = TransfertCredits.objects.create(depuis=depuis, vers=vers, montant=montant, par=par, motif=motif)
    for enveloppe, avant, sens in ((depuis, avant_depuis, "sortant"), (vers, avant_vers, "entrant")):
        journaliser(
            acteur=par,
            action=f"transfert_credits_{sens}",
            objet=enveloppe,
            details={"montant": [str(avant), str(enveloppe.montant)], "transfert": transfert.pk},
            motif=motif,
        )
    return transfert


@transaction.atomic
def designer_signataire(*, enveloppe: Enveloppe, par, qualite: str, nom: str = "", siret: str = "") -> Enveloppe:
    """The authority that signs the decisions taken on the envelope (the préfet de région for the Fonds vert); its
    SIRET (the préfecture de région) makes it the attribuant of the envelope's grants in the open data (SCDL)."""
    enveloppe = Enveloppe.objects.select_for_update().select_related("region").get(pk=enveloppe.pk)
    permissions.exiger(par, "designer_signataire", enveloppe)
    qualite, nom, siret = (qualite or "").strip(), (nom or "").strip(), "".join((siret or "").split())
    if not qualite:
        raise Refus("Indiquez la qualité du signataire, par exemple « Le préfet de la région Centre-Val de Loire ».")
    if siret:
        try:
            valider_siret(siret)
        except ValidationError as erreur:
            raise Refus(f"SIRET de l’autorité signataire : {erreur.messages[0]}") from None
    avant = [enveloppe.signataire_qualite, enveloppe.signataire_nom, enveloppe.signataire_siret]
    enveloppe.signataire_qualite, enveloppe.signataire_nom, enveloppe.signataire_siret = qualite, nom, siret
    enveloppe.save(update_fields=["signataire_qualite", "signataire_nom", "signataire_siret"])
    details = {"signataire": [avant, [qualite, nom, siret]]}
    journaliser(acteur=par, action="signataire_designe", objet=enveloppe, details=details)
    return enveloppe


@transaction.atomic
def fixer_references_juridiques(*, dispositif: Dispositif, par, references: str) -> Dispositif:
    """The texts the scheme rests on, one a line: the decision letters cite them."""
    permissions.exiger(par, "gerer_dispositif")
    dispositif = Dispositif.objects.select_for_update().get(pk=dispositif.pk)
    lignes = [ligne.strip() for ligne in (references or "").splitlines() if ligne.strip()]
    if not lignes:
        raise Refus("Indiquez au moins un texte : la loi, le décret ou l’arrêté qui fonde l’aide.")
    avant = dispositif.references_juridiques
    dispositif.references_juridiques = "\n".join(lignes)
    dispositif.save(update_fields=["references_juridiques"])
    journaliser(
        acteur=par,
        action="references_juridiques_fixees",
        objet=dispositif,
        details={"references_juridiques": [avant, dispositif.references_juridiques]},
    )
    return dispositif
