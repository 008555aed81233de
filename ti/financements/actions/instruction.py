"""Instruction of a filed dossier: recevabilité, opinions, proposal, decision, reopening, commitment, payments.

Every action locks the dossier row, refuses a stale form (version check), checks the instructor's rights, moves the
state machine (which writes the timeline), writes its audit row, and sends its e-mails once the transaction commits.
The envelope invariant (granted ≤ amount) is held here under a lock on the envelope row, and by a CHECK in the base.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ti.comptes import permissions
from ti.core.antivirus import analyser_fichier
from ti.core.etats import Refus
from ti.core.formats import euros
from ti.core.models import journaliser
from ti.core.travaux import differer
from ti.financements.models import (
    CYCLE_DOSSIER,
    Avis,
    Dossier,
    Enveloppe,
    Message,
    PieceAvis,
    Statut,
    Versement,
)

__all__ = ["Refus"]

DECISIONS = CYCLE_DOSSIER.pas["decider"].vers
REOUVRABLES = CYCLE_DOSSIER.pas["rouvrir"].depuis
AVIS_OUVERTS = {Statut.EN_INSTRUCTION, Statut.PROPOSE}
HORIZON = timedelta(days=31)  # a convention or a payment is recorded once signed or ordered: a month ahead at most


def _verrouiller(dossier: Dossier, par, version: int) -> Dossier:
    """The dossier row, locked until the end of the transaction, after the rights and version checks."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    permissions.exiger(par, "instruire_dossier", dossier)
    if dossier.version != version:
        raise Refus("Ce dossier a été modifié entre-temps ; rechargez la page.")
    return dossier


def _exiger_motif(motif: str, message: str) -> str:
    motif = (motif or "").strip()
    if not motif:
        raise Refus(message)
    return motif


def _exiger_date(jour: date, sujet: str, *, apres: date | datetime | None, quoi: str) -> None:
    """A convention or payment date: not before the step it follows (`apres`), not beyond the horizon."""
    if isinstance(apres, datetime):
        apres = timezone.localdate(apres)
    if apres is not None and jour < apres:
        raise Refus(f"{sujet} ne peut pas précéder {quoi} du {apres:%d/%m/%Y}.")
    limite = timezone.localdate() + HORIZON
    if jour > limite:
        raise Refus(f"{sujet} est trop lointaine : au plus tard le {limite:%d/%m/%Y}, un mois à l’avance.")


def _liberer(dossier: Dossier, montant: Decimal, *, par, raison: str) -> None:
    """Gives back to the envelope what the dossier was granted and will not use: the part granted but not engaged,
    and what the solde leaves unpaid. The envelope's `montant_accorde` then counts what the dossier keeps."""
    if montant <= 0:
        return
    enveloppe = Enveloppe.objects.select_for_update().get(pk=dossier.enveloppe_id)
    Enveloppe.objects.filter(pk=enveloppe.pk).update(montant_accorde=F("montant_accorde") - montant)
    journaliser(
        acteur=par,
        action="credits_liberes",
        objet=enveloppe,
        details={"dossier": dossier.reference, "montant": str(montant), "raison": raison},
    )


def _apres(evenement: str, dossier: Dossier, motif: str = "") -> None:
    differer("ti.financements.notifications.etape_du_dossier", dossier.pk, evenement, motif)


@transaction.atomic
def declarer_incomplet(*, dossier: Dossier, par, version: int, motif: str) -> Dossier:
    dossier = _verrouiller(dossier, par, version)
    motif = _exiger_motif(motif, "Indiquez au porteur ce qui manque au dossier.")
    dossier.passer(Statut.INCOMPLET, par=par, motif=motif)
    journaliser(acteur=par, action="dossier_incomplet", objet=dossier, motif=motif)
    _apres("incomplet", dossier, motif)
    return dossier


@transaction.atomic
def declarer_irrecevable(*, dossier: Dossier, par, version: int, motif: str) -> Dossier:
    """A filed (or incomplete) dossier that does not meet the scheme's rules, closed without instruction."""
    dossier = _verrouiller(dossier, par, version)
    motif = _exiger_motif(motif, "Indiquez pourquoi le dossier est irrecevable.")
    dossier.passer(Statut.IRRECEVABLE, par=par, motif=motif)
    journaliser(acteur=par, action="dossier_irrecevable", objet=dossier, motif=motif)
    _apres("irrecevable", dossier, motif)
    return dossier


@transaction.atomic
def ouvrir_instruction(*, dossier: Dossier, par, version: int, motif: str = "") -> Dossier:
    dossier = _verrouiller(dossier, par, version)
    dossier.passer(Statut.EN_INSTRUCTION, par=par, motif=motif)
    journaliser(acteur=par, action="instruction_ouverte", objet=dossier, motif=motif)
    _apres("en_instruction", dossier, motif)
    return dossier


@transaction.atomic
def demander_avis(*, dossier: Dossier, par, version: int, type: str, echeance: date) -> Avis:
    return demander_des_avis(dossier=dossier, par=par, version=version, types=[type], echeance=echeance)[0]


@transaction.atomic
def demander_des_avis(*, dossier: Dossier, par, version: int, types: list[str], echeance: date) -> list[Avis]:
    """Several bodies asked in one step, with one due date: all the opinions are requested, or none."""
    dossier = _verrouiller(dossier, par, version)
    if dossier.statut not in AVIS_OUVERTS:
        raise Refus("Les avis se demandent pendant l’instruction du dossier.")
    types = list(dict.fromkeys(types))
    if not types:
        raise Refus("Cochez au moins un avis à demander.")
    if any(type not in Avis.Type.values for type in types):
        raise Refus("Type d’avis inconnu.")
    if echeance < timezone.localdate():
        raise Refus("L’échéance de l’avis ne peut pas être passée.")
    attendus = dossier.avis.filter(type__in=types, rendu_le__isnull=True).values_list("type", flat=True)
    deja = [Avis.Type(t).label.lower() for t in attendus]
    if len(deja) == 1:
        raise Refus(f"Un « {deja[0]} » est déjà attendu sur ce dossier.")
    if deja:
        raise Refus(f"Ces avis sont déjà attendus sur ce dossier : « {' » et « '.join(deja)} ».")
    avis = [Avis.objects.create(dossier=dossier, type=type, demande_par=par, echeance=echeance) for type in types]
    dossier.version += 1
    dossier.save(update_fields=["version", "modifie_le"])
    for un_avis in avis:
        journaliser(
            acteur=par,
            action="avis_demande",
            objet=dossier,
            details={"type": un_avis.type, "echeance": echeance.isoformat()},
        )
        differer("ti.financements.notifications.avis_demande", un_avis.pk)
    return avis


@transaction.atomic
def rendre_avis(
    *, avis: Avis, par, sens: str, texte: str, montant_recommande: Decimal | None = None, fichier=None, type_mime=""
) -> Avis:
    avis = Avis.objects.select_for_update().select_related("dossier__territoire", "dossier__enveloppe").get(pk=avis.pk)
    permissions.exiger(par, "rendre_avis", avis)
    if avis.rendu_le is not None:
        raise Refus("Cet avis a déjà été rendu.")
    if avis.dossier.statut not in AVIS_OUVERTS:
        raise Refus("L’instruction de ce dossier est close : l’avis ne peut plus être rendu.")
    if sens not in Avis.Sens.values:
        raise Refus("Choisissez le sens de l’avis.")
    avis.sens = sens
    avis.texte = _exiger_motif(texte, "Motivez l’avis en quelques lignes.")
    avis.rendu_par = par
    avis.rendu_le = timezone.now()
    avis.version_jugee = avis.dossier.version_montants
    if montant_recommande is not None and montant_recommande > (avis.dossier.aide_demandee or 0):
        raise Refus(f"Le montant recommandé dépasse l’aide demandée ({euros(avis.dossier.aide_demandee)}).")
    avis.montant_recommande = montant_recommande
    avis.save(update_fields=["sens", "texte", "rendu_par", "rendu_le", "version_jugee", "montant_recommande"])
    if fichier is not None:
        piece = PieceAvis(avis=avis, nom=fichier.name[:255], type_mime=type_mime, taille=fichier.size)
        piece.fichier.save(fichier.name, fichier, save=False)
        piece.save()
        analyser_fichier(piece)
    journaliser(
        acteur=par,
        action="avis_rendu",
        objet=avis.dossier,
        details={
            "type": avis.type,
            "sens": sens,
            "version_jugee": avis.version_jugee,
            "montant_recommande": None if montant_recommande is None else str(montant_recommande),
            "piece": fichier.name[:255] if fichier is not None else None,
        },
    )
    differer("ti.financements.notifications.avis_rendu", avis.pk)
    return avis


@transaction.atomic
def proposer(*, dossier: Dossier, par, version: int, montant_propose: Decimal, motif: str = "") -> Dossier:
    dossier = _verrouiller(dossier, par, version)
    CYCLE_DOSSIER.verifier(dossier, Statut.PROPOSE)
    if montant_propose is None or montant_propose <= 0:
        raise Refus("Indiquez le montant proposé.")
    if montant_propose > dossier.aide_demandee:
        raise Refus(f"Le montant proposé dépasse l’aide demandée ({euros(dossier.aide_demandee)}).")
    dossier.montant_propose = montant_propose
    dossier.passer(Statut.PROPOSE, par=par, motif=motif)
    journaliser(acteur=par, action="dossier_propose", objet=dossier, details={"montant_propose": str(montant_propose)})
    return dossier


@transaction.atomic
def decider(
    *, dossier: Dossier, par, version: int, statut: str, montant: Decimal | None = None, motif: str = ""
) -> Dossier:
    """Accepts (within the requested aid and what remains in the envelope), refuses (with reasons) or closes."""
    dossier = _verrouiller(dossier, par, version)
    if statut not in DECISIONS:
        raise Refus("Choisissez une décision : accepté, refusé ou classé sans suite.")
    CYCLE_DOSSIER.verifier(dossier, statut)
    motif = (motif or "").strip()
    if statut == Statut.REFUSE:
        _exiger_motif(motif, "Un refus doit être motivé.")
    if statut == Statut.ACCEPTE:
        if montant is None or montant <= 0:
            raise Refus("Indiquez le montant accordé.")
        if montant > dossier.aide_demandee:
            raise Refus(f"Le montant accordé dépasse l’aide demandée ({euros(dossier.aide_demandee)}).")
        if dossier.montant_propose is not None and montant > dossier.montant_propose and not motif:
            raise Refus(
                f"Le montant accordé ({euros(montant)}) dépasse le montant proposé par l’instruction "
                f"({euros(dossier.montant_propose)}) : motivez la décision."
            )
        enveloppe = Enveloppe.objects.select_for_update().get(pk=dossier.enveloppe_id)  # serialises the deciders
        if montant > enveloppe.reste:
            raise Refus(
                f"Il ne reste que {euros(enveloppe.reste)} dans l’enveloppe : "
                f"{euros(montant)} ne peuvent pas être accordés."
            )
        Enveloppe.objects.filter(pk=enveloppe.pk).update(montant_accorde=F("montant_accorde") + montant)
        dossier.montant_accorde = montant
    dossier.motif_decision = motif
    dossier.decide_le = timezone.now()
    dossier.passer(statut, par=par, motif=motif)
    journaliser(
        acteur=par,
        action="dossier_decide",
        objet=dossier,
        details={"statut": statut, "montant_accorde": str(dossier.montant_accorde or "")},
        motif=motif,
    )
    _apres(statut, dossier, motif)
    return dossier


def classer_sans_suite(*, dossier: Dossier, par, version: int, motif: str) -> Dossier:
    """A dossier abandoned before a proposal (the porteur gave up, never completed it): closed with a reason."""
    motif = _exiger_motif(motif, "Indiquez pourquoi le dossier est classé sans suite.")
    return decider(dossier=dossier, par=par, version=version, statut=Statut.CLASSE_SANS_SUITE, motif=motif)


@transaction.atomic
def rouvrir(*, dossier: Dossier, par, version: int, motif: str) -> Dossier:
    """Back to instruction, with a reason; an accepted dossier gives its amount back to the envelope."""
    dossier = _verrouiller(dossier, par, version)
    motif = _exiger_motif(motif, "Indiquez pourquoi le dossier est rouvert.")
    if dossier.statut not in REOUVRABLES:
        CYCLE_DOSSIER.verifier(dossier, Statut.EN_INSTRUCTION)
        raise Refus("Seul un dossier proposé ou décidé, et pas encore engagé, peut être rouvert.")
    rendu = dossier.montant_accorde if dossier.statut == Statut.ACCEPTE else None
    if rendu:
        Enveloppe.objects.select_for_update().get(pk=dossier.enveloppe_id)
        Enveloppe.objects.filter(pk=dossier.enveloppe_id).update(montant_accorde=F("montant_accorde") - rendu)
    dossier.montant_accorde = None
    dossier.decide_le = None
    dossier.motif_decision = ""
    dossier.passer(Statut.EN_INSTRUCTION, par=par, motif=motif)
    journaliser(
        acteur=par, action="dossier_rouvert", objet=dossier, details={"montant_rendu": str(rendu or "")}, motif=motif
    )
    _apres("rouvert", dossier, motif)
    return dossier


@transaction.atomic
def engager(
    *, dossier: Dossier, par, version: int, convention_numero: str, convention_date: date, montant: Decimal
) -> Dossier:
    dossier = _verrouiller(dossier, par, version)
    CYCLE_DOSSIER.verifier(dossier, Statut.ENGAGE)
    if not (convention_numero or "").strip():
        raise Refus("Indiquez le numéro de la convention.")
    if montant is None or montant <= 0:
        raise Refus("Indiquez le montant engagé.")
    if montant > dossier.montant_accorde:
        raise Refus(f"Le montant engagé dépasse le montant accordé ({euros(dossier.montant_accorde)}).")
    _exiger_date(convention_date, "La date de la convention", apres=dossier.decide_le, quoi="la décision")
    dossier.convention_numero = convention_numero.strip()
    dossier.convention_date = convention_date
    dossier.montant_engage = montant
    dossier.passer(Statut.ENGAGE, par=par, motif=f"Convention n° {dossier.convention_numero}")
    journaliser(
        acteur=par,
        action="dossier_engage",
        objet=dossier,
        details={"convention": dossier.convention_numero, "montant_engage": str(montant)},
    )
    _liberer(dossier, dossier.montant_accorde - montant, par=par, raison="part accordée non engagée")
    _apres("engage", dossier)
    return dossier


@transaction.atomic
def enregistrer_versement(
    *, dossier: Dossier, par, version: int, type: str, montant: Decimal, date: date, commentaire: str = ""
) -> Versement:
    """Payments never exceed the engaged amount; the solde closes the dossier."""
    dossier = _verrouiller(dossier, par, version)
    if dossier.statut != Statut.ENGAGE:
        raise Refus("Les versements s’enregistrent sur un dossier engagé (convention signée).")
    if type not in Versement.Type.values:
        raise Refus("Type de versement inconnu.")
    if montant is None or montant <= 0:
        raise Refus("Indiquez le montant versé.")
    reste = dossier.montant_engage - dossier.montant_verse
    if montant > reste:
        raise Refus(f"Il ne reste que {euros(reste)} à verser sur le montant engagé ({euros(dossier.montant_engage)}).")
    _exiger_date(date, "La date du versement", apres=dossier.convention_date, quoi="la convention")
    versement = Versement.objects.create(
        dossier=dossier, type=type, montant=montant, date=date, par=par, commentaire=commentaire
    )
    Enveloppe.objects.select_for_update().get(pk=dossier.enveloppe_id)
    Enveloppe.objects.filter(pk=dossier.enveloppe_id).update(montant_verse=F("montant_verse") + montant)
    dossier.montant_verse += montant
    if type == Versement.Type.SOLDE:
        dossier.passer(Statut.SOLDE, par=par, motif=f"Solde de {euros(montant)} versé")
    else:
        dossier.version += 1
        dossier.save(update_fields=["montant_verse", "version", "modifie_le"])
    journaliser(
        acteur=par,
        action="versement_enregistre",
        objet=dossier,
        details={"type": type, "montant": str(montant), "date": date.isoformat()},
    )
    if type == Versement.Type.SOLDE:
        _liberer(dossier, dossier.montant_engage - dossier.montant_verse, par=par, raison="reste non versé au solde")
    differer("ti.financements.notifications.versement", versement.pk)
    return versement


@transaction.atomic
def envoyer_message(*, dossier: Dossier, par, texte: str) -> Message:
    """The thread between the porteur and the instructors; the other side is notified."""
    permissions.exiger(par, "ecrire_message", dossier)
    if dossier.statut == Statut.BROUILLON:
        raise Refus("Les échanges avec l’instruction s’ouvrent une fois le dossier déposé.")
    message = Message.objects.create(dossier=dossier, auteur=par, texte=_exiger_motif(texte, "Écrivez votre message."))
    differer("ti.financements.notifications.message", message.pk)
    return message
