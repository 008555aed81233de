"""The state-changing steps of the network's space (decision 0051): ask, reply, follow, report, moderate.

Each one checks the rule, writes in one transaction with its journal row, and queues its notices (mentions,
subscribers, moderators) after commit; the notices honour each person's choice of e-mails (ti.notifications)."""

from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ti.animation.models_echanges import Abonnement, Fil, Message, Reponse, Signalement
from ti.animation.texte_riche import mentions
from ti.comptes import permissions
from ti.comptes.permissions import exiger
from ti.core.antivirus import analyser_fichier
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.televersements import verifier_document
from ti.core.travaux import differer

MENTIONS_MAX = 20  # per message: beyond, a list of people is no longer a mention
VERROUILLE = "Ce fil est verrouillé par la modération : il n’accepte plus de réponses."


def membres_mentionnes(texte: str) -> list[int]:
    """The network's members the text mentions (« @camille.martin » or « @camille.martin@anct.gouv.fr »), in one
    query; a handle that names nobody of the network is plain text."""
    poignees = sorted(mentions(texte))[:MENTIONS_MAX]
    if not poignees:
        return []
    condition = Q()
    for poignee in poignees:
        condition |= Q(email__iexact=poignee) if "@" in poignee else Q(email__istartswith=f"{poignee}@")
    membres = get_user_model().objects.filter(permissions.q_membres_du_reseau()).filter(condition)
    return sorted(membres.values_list("pk", flat=True))


def _joindre(message: Message, fichier) -> None:
    """Checked (ValidationError in French) before anything is stored; the message must be saved after."""
    message.type_mime = verifier_document(fichier)
    message.taille = fichier.size
    message.nom_fichier = PurePath(fichier.name).name
    message.fichier.save(message.nom_fichier, fichier, save=False)


def _publier(message: Message, fichier) -> None:
    if fichier:
        _joindre(message, fichier)
    message.save()
    if fichier:
        analyser_fichier(message)


def _abonner(fil: Fil, utilisateur) -> bool:
    return Abonnement.objects.get_or_create(fil=fil, utilisateur=utilisateur)[1]


@transaction.atomic
def ouvrir_fil(*, par, theme: str, titre: str, texte: str, region=None, fichier=None) -> Fil:
    """A question to the network; its author follows it. The people mentioned are told."""
    exiger(par, "echanger_reseau")
    fil = Fil(auteur=par, theme=theme, titre=titre, texte=texte, region=region)
    _publier(fil, fichier)
    _abonner(fil, par)
    journaliser(acteur=par, action="animation.fil_ouvert", objet=fil, details={"theme": theme})
    if mentionnes := [pk for pk in membres_mentionnes(texte) if pk != par.pk]:
        differer("ti.animation.notifications_echanges.mentionnes_dans_la_question", fil.pk, mentionnes)
    return fil


@transaction.atomic
def repondre(*, fil: Fil, par, texte: str, fichier=None) -> Reponse:
    """A reply, refused on a locked thread; its author now follows the thread. The thread's subscribers and the
    people mentioned are told (never the author of the reply)."""
    exiger(par, "echanger_reseau")
    fil = Fil.objects.select_for_update().get(pk=fil.pk)  # a lock and a reply at the same moment: one wins
    if fil.verrouille:
        raise Refus(VERROUILLE)
    reponse = Reponse(fil=fil, auteur=par, texte=texte)
    _publier(reponse, fichier)
    _abonner(fil, par)
    journaliser(acteur=par, action="animation.reponse", objet=fil, details={"reponse": reponse.pk})
    mentionnes = [pk for pk in membres_mentionnes(texte) if pk != par.pk]
    differer("ti.animation.notifications_echanges.message_publie", reponse.pk, mentionnes)
    return reponse


@transaction.atomic
def suivre(*, fil: Fil, par, suivi: bool) -> bool:
    """Subscribes to a thread or unsubscribes from it; returns whether anything changed. No journal row: it changes
    nobody else's data (as the choice of e-mails)."""
    exiger(par, "echanger_reseau")
    if suivi:
        return _abonner(fil, par)
    return Abonnement.objects.filter(fil=fil, utilisateur=par).delete()[0] > 0


@transaction.atomic
def signaler(*, fil: Fil, reponse: Reponse | None = None, par, motif: str) -> Signalement:
    """Any member reports a message to the moderation of the thread, once; the moderators are told."""
    exiger(par, "echanger_reseau")
    if not motif.strip():
        raise Refus("Dites à la modération ce qui ne va pas dans ce message.")
    if Signalement.objects.filter(fil=fil, reponse=reponse, par=par).exists():
        raise Refus("Vous avez déjà signalé ce message : la modération l’examine.")
    signalement = Signalement.objects.create(fil=fil, reponse=reponse, par=par, motif=motif.strip())
    journaliser(
        acteur=par,
        action="animation.message_signale",
        objet=reponse or fil,
        details={"fil": fil.pk, "signalement": signalement.pk},
        motif=signalement.motif,
    )
    differer("ti.animation.notifications_echanges.signalement_recu", signalement.pk)
    return signalement


@transaction.atomic
def masquer(*, fil: Fil, reponse: Reponse | None = None, par, motif: str) -> Message:
    """The moderation hides a message (the question when `reponse` is None) with the reason shown in its place."""
    exiger(par, "moderer_echanges", fil)
    if not motif.strip():
        raise Refus("Un message masqué porte un motif : il est affiché à sa place.")
    modele = Fil if reponse is None else Reponse
    message = modele.objects.select_for_update().get(pk=(reponse or fil).pk)
    if message.masque:
        raise Refus("Ce message est déjà masqué.")
    message.masque_le, message.motif_masquage = timezone.now(), motif.strip()
    message.save(update_fields=["masque_le", "motif_masquage"])
    motif = message.motif_masquage
    journaliser(acteur=par, action="animation.message_masque", objet=message, details={"fil": fil.pk}, motif=motif)
    return message


@transaction.atomic
def verrouiller(*, fil: Fil, par, verrouille: bool, motif: str = "") -> Fil:
    """The moderation locks a thread (no more replies) or opens it again."""
    exiger(par, "moderer_echanges", fil)
    fil = Fil.objects.select_for_update().get(pk=fil.pk)
    if fil.verrouille == verrouille:
        raise Refus("Ce fil est déjà verrouillé." if verrouille else "Ce fil n’est pas verrouillé.")
    fil.verrouille_le = timezone.now() if verrouille else None
    fil.save(update_fields=["verrouille_le"])
    action = "animation.fil_verrouille" if verrouille else "animation.fil_deverrouille"
    journaliser(acteur=par, action=action, objet=fil, motif=motif.strip())
    return fil
