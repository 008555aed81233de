"""E-mails of the Fonds vert part, sent after the transaction commits, with primary keys only."""

from django.core.mail import send_mail

# --- Instruction: steps of the dossier, opinions, reminders, payments, thread (called after commit, with pks). ---


def _url_dossier(dossier) -> str:
    from ti.comptes.notifications import url_absolue

    return url_absolue(dossier.get_absolute_url())


def _instructeurs(dossier) -> list[str]:
    from ti.comptes.models import Habilitation, Role

    return sorted(
        set(
            Habilitation.objects.actives()
            .filter(role=Role.INSTRUCTEUR, region_id=dossier.enveloppe.region_id, utilisateur__is_active=True)
            .values_list("utilisateur__email", flat=True)
        )
    )


def destinataires_avis(avis) -> list[str]:
    """Who is asked: the région's ADEME experts, its Conseil régional referents, or the territory's binôme."""
    from ti.comptes.models import Habilitation, Role

    actives = Habilitation.objects.actives().filter(utilisateur__is_active=True)
    if avis.type == "gouvernance":
        actives = actives.filter(role=Role.BINOME, territoire_id=avis.dossier.territoire_id)
    else:
        role = Role.EXPERT_ADEME if avis.type == "ademe" else Role.REFERENT_REGION
        actives = actives.filter(role=role, region_id=avis.dossier.enveloppe.region_id)
    return sorted(set(actives.values_list("utilisateur__email", flat=True)))


ETAPES_ANNONCEES = {
    "incomplet": "Votre dossier {ref} est incomplet",
    "irrecevable": "Votre dossier {ref} est irrecevable",
    "en_instruction": "Votre dossier {ref} est en instruction",
    "accepte": "Votre dossier {ref} est accepté",
    "refuse": "Votre dossier {ref} n’est pas retenu",
    "classe_sans_suite": "Votre dossier {ref} est classé sans suite",
    "rouvert": "Votre dossier {ref} est de nouveau en instruction",
    "engage": "La convention de votre dossier {ref} est enregistrée",
}


def etape_du_dossier(dossier_pk: int, evenement: str, motif: str = "") -> None:
    """Tells the porteur where its dossier stands after an instruction step."""
    from ti.financements.models import Dossier
    from ti.projets.fiches import euros

    dossier = Dossier.objects.select_related("deposant").get(pk=dossier_pk)
    sujet = ETAPES_ANNONCEES[evenement].format(ref=dossier.reference)
    lignes = [
        "Bonjour,",
        "",
        f"Votre dossier « {dossier.intitule} » ({dossier.reference}) est désormais : "
        f"{dossier.get_statut_display().lower()}.",
    ]
    if evenement == "accepte":
        lignes.append(f"Montant accordé : {euros(dossier.montant_accorde)}.")
    if evenement == "engage":
        lignes.append(f"Convention n° {dossier.convention_numero} ; montant engagé : {euros(dossier.montant_engage)}.")
    if motif:
        lignes += ["", "Motif :", motif]
    lignes += ["", f"Suivre le dossier : {_url_dossier(dossier)}"]
    send_mail(sujet, "\n".join(lignes), None, [dossier.deposant.email])


def avis_demande(avis_pk: int, relance: bool = False) -> int:
    """Asks (or reminds) the people who give this opinion; returns how many were written to."""
    from ti.financements.models import Avis

    avis = Avis.objects.select_related("dossier__enveloppe", "dossier__territoire").get(pk=avis_pk)
    destinataires = destinataires_avis(avis)
    if not destinataires:
        return 0
    dossier = avis.dossier
    sujet = f"{'Relance — ' if relance else ''}{avis.get_type_display()} attendu sur le dossier {dossier.reference}"
    corps = "\n".join(
        [
            "Bonjour,",
            "",
            f"Votre avis est {'toujours ' if relance else ''}attendu sur le dossier « {dossier.intitule} » "
            f"({dossier.reference}, {dossier.porteur_nom}), avant le {avis.echeance:%d/%m/%Y}.",
            "",
            f"Rendre l’avis : {_url_dossier(dossier)}",
        ]
    )
    send_mail(sujet, corps, None, destinataires)
    return len(destinataires)


def avis_rendu(avis_pk: int) -> None:
    from ti.financements.models import Avis

    avis = Avis.objects.select_related("dossier__enveloppe").get(pk=avis_pk)
    destinataires = _instructeurs(avis.dossier)
    if destinataires:
        send_mail(
            f"{avis.get_type_display()} rendu sur le dossier {avis.dossier.reference}",
            f"Avis {avis.get_sens_display().lower()} rendu.\n\nVoir le dossier : {_url_dossier(avis.dossier)}",
            None,
            destinataires,
        )


def versement(versement_pk: int) -> None:
    from ti.financements.models import Versement
    from ti.projets.fiches import euros

    paiement = Versement.objects.select_related("dossier__deposant").get(pk=versement_pk)
    dossier = paiement.dossier
    send_mail(
        f"Versement sur votre dossier {dossier.reference}",
        f"Bonjour,\n\n{paiement.get_type_display()} de {euros(paiement.montant)} mise en paiement le "
        f"{paiement.date:%d/%m/%Y}. Total versé : {euros(dossier.montant_verse)} sur "
        f"{euros(dossier.montant_engage)} engagés.\n\nSuivre le dossier : {_url_dossier(dossier)}",
        None,
        [dossier.deposant.email],
    )


def message(message_pk: int) -> None:
    """A message from the porteur goes to the région's instructors; one from an instructor to the porteur."""
    from ti.financements.models import Message

    envoi = Message.objects.select_related("dossier__deposant", "dossier__enveloppe", "auteur").get(pk=message_pk)
    dossier = envoi.dossier
    from ti.comptes.permissions import peut

    de_l_instruction = peut(envoi.auteur, "instruire_dossier", dossier)
    destinataires = [dossier.deposant.email] if de_l_instruction else _instructeurs(dossier)
    if destinataires:
        send_mail(
            f"Nouveau message sur le dossier {dossier.reference}",
            f"{envoi.texte}\n\nRépondre : {_url_dossier(dossier)}",
            None,
            destinataires,
        )


# --- Filing (porteur's side): acknowledgement to the porteur, notice to the région's instructors. ---


def accuse_depot(dossier_pk: int) -> None:
    """Acknowledges the filing to the porteur who filed: reference, date, amounts, where to follow the dossier."""
    from ti.financements.models import Dossier
    from ti.projets.fiches import euros

    dossier = Dossier.objects.select_related("deposant", "dispositif", "enveloppe__region").get(pk=dossier_pk)
    corps = "\n".join(
        [
            "Bonjour,",
            "",
            f"Votre dossier « {dossier.intitule} » a bien été déposé le {dossier.depose_le:%d/%m/%Y à %H:%M} "
            f"au titre du dispositif « {dossier.dispositif.nom} ».",
            f"Référence : {dossier.reference}. Aide demandée : {euros(dossier.aide_demandee)} "
            f"pour un coût total de {euros(dossier.cout_total)}.",
            "",
            f"Les services de l’État en région {dossier.enveloppe.region} vont l’instruire ; vous serez informé "
            "par courriel à chaque étape.",
            "",
            f"Suivre le dossier : {_url_dossier(dossier)}",
        ]
    )
    send_mail(f"Accusé de dépôt de votre dossier {dossier.reference}", corps, None, [dossier.deposant.email])


def dossier_depose_aux_instructeurs(dossier_pk: int) -> None:
    from ti.financements.models import Dossier

    dossier = Dossier.objects.select_related("enveloppe", "territoire").get(pk=dossier_pk)
    destinataires = _instructeurs(dossier)
    if destinataires:
        send_mail(
            f"Nouveau dossier déposé : {dossier.reference}",
            f"Le dossier « {dossier.intitule} » ({dossier.porteur_nom}, territoire {dossier.territoire}) a été "
            f"déposé.\n\nL’instruire : {_url_dossier(dossier)}",
            None,
            destinataires,
        )
