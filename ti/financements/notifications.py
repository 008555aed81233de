"""Notifications of the Fonds vert part: jobs of the queue (`ti.core.travaux.differer`), given primary keys.

Each one finds who is told, then `ti.notifications.actions.notifier` writes their in-app notifications and queues
the e-mails, rendered from `financements/emails/<event>_sujet.txt` and `<event>.txt`."""

from django.urls import reverse

from ti.comptes.models import Habilitation, Role
from ti.comptes.notifications import url_absolue
from ti.core.formats import euros
from ti.notifications.actions import notifier
from ti.notifications.models import Type


def _notifier(destinataires, type: str, gabarit: str, dossier, **contexte) -> int:
    return notifier(
        destinataires=destinataires,
        type=type,
        gabarit=f"financements/emails/{gabarit}",
        contexte={"dossier": dossier, "url_dossier": url_absolue(dossier.get_absolute_url()), **contexte},
        lien=dossier.get_absolute_url(),
    )


def _actives():
    return Habilitation.objects.actives().filter(utilisateur__is_active=True)


def _instructeurs(dossier) -> list[int]:
    return list(
        _actives()
        .filter(role=Role.INSTRUCTEUR, region_id=dossier.enveloppe.region_id)
        .values_list("utilisateur_id", flat=True)
    )


def destinataires_avis(avis) -> list[int]:
    """Who is asked: the région's ADEME experts, its Conseil régional referents, or the territory's binôme."""
    if avis.type == "gouvernance":
        actives = _actives().filter(role=Role.BINOME, territoire_id=avis.dossier.territoire_id)
    else:
        role = Role.EXPERT_ADEME if avis.type == "ademe" else Role.REFERENT_REGION
        actives = _actives().filter(role=role, region_id=avis.dossier.enveloppe.region_id)
    return list(actives.values_list("utilisateur_id", flat=True))


# The porteur is told of each instruction step; the kind says what the list shows.
TYPE_DE_L_ETAPE = {
    "incomplet": Type.CORRECTION_DEMANDEE,
    "irrecevable": Type.DECISION,
    "en_instruction": Type.ETAPE_DOSSIER,
    "accepte": Type.DECISION,
    "refuse": Type.DECISION,
    "classe_sans_suite": Type.DECISION,
    "rouvert": Type.ETAPE_DOSSIER,
    "engage": Type.ETAPE_DOSSIER,
}


def etape_du_dossier(dossier_pk: int, evenement: str, motif: str = "") -> int:
    """Tells the porteur where its dossier stands after an instruction step."""
    from ti.financements.models import Dossier

    dossier = Dossier.objects.get(pk=dossier_pk)
    return _notifier(
        [dossier.deposant_id],
        TYPE_DE_L_ETAPE[evenement],
        "etape",
        dossier,
        evenement=evenement,
        motif=motif,
        montant_accorde=euros(dossier.montant_accorde),
        montant_engage=euros(dossier.montant_engage),
    )


def avis_demande(avis_pk: int, relance: bool = False) -> int:
    """Asks (or reminds) the people who give this opinion; returns how many were told."""
    from ti.financements.models import Avis

    avis = Avis.objects.select_related("dossier__enveloppe", "dossier__territoire").get(pk=avis_pk)
    return _notifier(
        destinataires_avis(avis), Type.AVIS_DEMANDE, "avis_demande", avis.dossier, avis=avis, relance=relance
    )


def avis_rendu(avis_pk: int) -> int:
    from ti.financements.models import Avis

    avis = Avis.objects.select_related("dossier__enveloppe").get(pk=avis_pk)
    return _notifier(_instructeurs(avis.dossier), Type.AVIS_RENDU, "avis_rendu", avis.dossier, avis=avis)


def versement(versement_pk: int) -> int:
    from ti.financements.models import Versement

    paiement = Versement.objects.select_related("dossier").get(pk=versement_pk)
    dossier = paiement.dossier
    return _notifier(
        [dossier.deposant_id],
        Type.VERSEMENT,
        "versement",
        dossier,
        versement=paiement,
        montant=euros(paiement.montant),
        montant_verse=euros(dossier.montant_verse),
        montant_engage=euros(dossier.montant_engage),
    )


def message(message_pk: int) -> int:
    """A message from the porteur goes to the région's instructors; one from an instructor to the porteur."""
    from ti.comptes.permissions import peut
    from ti.financements.models import Message

    envoi = Message.objects.select_related("dossier__enveloppe", "auteur").get(pk=message_pk)
    dossier = envoi.dossier
    de_l_instruction = peut(envoi.auteur, "instruire_dossier", dossier)
    destinataires = [dossier.deposant_id] if de_l_instruction else _instructeurs(dossier)
    return _notifier(destinataires, Type.MESSAGE, "message", dossier, message=envoi)


# --- Filing (porteur's side): acknowledgement to the porteur, notice to the région's instructors. ---


def accuse_depot(dossier_pk: int) -> int:
    """Acknowledges the filing to the porteur who filed: reference, date, amounts, where to follow the dossier."""
    from ti.financements.models import Dossier

    dossier = Dossier.objects.select_related("dispositif", "enveloppe__region").get(pk=dossier_pk)
    return _notifier(
        [dossier.deposant_id],
        Type.DOSSIER_DEPOSE,
        "accuse_depot",
        dossier,
        aide_demandee=euros(dossier.aide_demandee),
        cout_total=euros(dossier.cout_total),
        url_recepisse=url_absolue(reverse("financements:recepisse", args=[dossier.reference])),
    )


def dossier_depose_aux_instructeurs(dossier_pk: int) -> int:
    from ti.financements.models import Dossier

    dossier = Dossier.objects.select_related("enveloppe", "territoire").get(pk=dossier_pk)
    return _notifier(_instructeurs(dossier), Type.DOSSIER_DEPOSE, "dossier_depose", dossier)
