"""Who is told of a new message: the people mentioned, the thread's author and subscribers, once each, through the
job queue; by e-mail at once or in the daily digest, as each person chose (ti/notifications)."""

import pytest
from django.core import mail
from django.urls import reverse

from ti.animation import actions_echanges as actions
from ti.animation.models import Abonnement
from ti.comptes.models import Habilitation, Role
from ti.notifications.actions import choisir_frequence
from ti.notifications.courriels import envoyer_resume_quotidien
from ti.notifications.models import Frequence, Notification, Type

from ..factories import utilisateur_avec
from .conftest import ouvrir_fil


def poignee(user) -> str:
    return "@" + user.email.split("@")[0]


def notifications(user) -> list[str]:
    return sorted(Notification.objects.filter(destinataire=user).values_list("type", flat=True))


@pytest.fixture
def fil(chef_projet_cvl):
    return ouvrir_fil(chef_projet_cvl)


def test_l_auteur_et_ceux_qui_repondent_suivent_le_fil(fil, chef_projet_cvl, binome_bretagne, binome_cvl):
    actions.repondre(fil=fil, par=binome_bretagne, texte="Neuf mois chez nous.")
    actions.repondre(fil=fil, par=binome_bretagne, texte="Et 25 000 €.")
    suiveurs = set(Abonnement.objects.filter(fil=fil).values_list("utilisateur_id", flat=True))
    assert suiveurs == {chef_projet_cvl.pk, binome_bretagne.pk}


def test_une_reponse_previent_l_auteur_et_les_abonnes_sauf_celui_qui_ecrit(
    fil, chef_projet_cvl, binome_bretagne, binome_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.repondre(fil=fil, par=binome_bretagne, texte="Neuf mois chez nous.")
        actions.repondre(fil=fil, par=binome_cvl, texte="Pareil en Centre-Val de Loire.")
    executer_travaux()
    auteur = Notification.objects.filter(destinataire=chef_projet_cvl).order_by("pk")
    assert [n.texte for n in auteur] == [
        f"{binome_bretagne} a répondu à votre question « Inventaire quatre saisons sur une friche »",
        f"{binome_cvl} a répondu à votre question « Inventaire quatre saisons sur une friche »",
    ]
    suivi = Notification.objects.get(destinataire=binome_bretagne)  # told of the second reply, not of his own
    assert suivi.texte == f"{binome_cvl} a répondu dans « Inventaire quatre saisons sur une friche »"
    assert suivi.type == Type.REPONSE_RESEAU and "que vous suivez" in suivi.corps
    assert not Notification.objects.filter(destinataire=binome_cvl).exists()


def test_ne_plus_suivre_un_fil_et_le_suivre(
    client, fil, chef_projet_cvl, binome_bretagne, binome_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    client.force_login(chef_projet_cvl)
    reponse = client.post(reverse("animation:suivre_fil", args=[fil.pk]), {"suivi": "0"})
    assert "Vous ne suivez plus ce fil." in client.get(reponse["Location"]).content.decode()
    client.force_login(binome_cvl)
    client.post(reverse("animation:suivre_fil", args=[fil.pk]), {"suivi": "1"})
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "Ne plus suivre ce fil" in page
    with django_capture_on_commit_callbacks(execute=True):
        actions.repondre(fil=fil, par=binome_bretagne, texte="Neuf mois.")
    executer_travaux()
    assert notifications(chef_projet_cvl) == [] and notifications(binome_cvl) == [Type.REPONSE_RESEAU]


def test_une_mention_previent_le_membre_nomme_une_seule_fois(
    fil, chef_projet_cvl, binome_bretagne, binome_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    porteur = utilisateur_avec(Role.PORTEUR, siret="91234567500017")
    texte = (
        f"{poignee(chef_projet_cvl)} et {poignee(binome_cvl)}, voyez avec {poignee(porteur)} "
        f"et @personne.inconnue ; {poignee(binome_bretagne)} (moi), écrivez à contact{poignee(binome_cvl)}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.repondre(fil=fil, par=binome_bretagne, texte=texte)
    executer_travaux()
    assert notifications(binome_cvl) == [Type.MENTION_RESEAU]
    assert notifications(chef_projet_cvl) == [Type.MENTION_RESEAU]  # mentioned: not told twice
    mention = Notification.objects.get(destinataire=binome_cvl)
    assert mention.texte == f"{binome_bretagne} vous a mentionné dans « Inventaire quatre saisons sur une friche »"
    assert not Notification.objects.filter(destinataire__in=[porteur, binome_bretagne]).exists()  # not the network


def test_une_mention_par_l_adresse_entiere_dans_la_question(
    chef_projet_cvl, binome_bretagne, executer_travaux, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ouvrir_fil(chef_projet_cvl, texte=f"Question pour @{binome_bretagne.email.upper()} : combien ?")
    executer_travaux()
    assert notifications(binome_bretagne) == [Type.MENTION_RESEAU]


def test_qui_a_quitte_le_reseau_n_est_plus_prevenu(
    fil, chef_projet_cvl, binome_bretagne, executer_travaux, django_capture_on_commit_callbacks
):
    Habilitation.objects.filter(utilisateur=chef_projet_cvl).delete()
    with django_capture_on_commit_callbacks(execute=True):
        actions.repondre(fil=fil, par=binome_bretagne, texte="Neuf mois.")
    executer_travaux()
    assert not Notification.objects.exists()


def test_un_courriel_par_message_ou_le_resume_quotidien_au_choix_de_chacun(
    fil, chef_projet_cvl, binome_bretagne, binome_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    actions.suivre(fil=fil, par=binome_cvl, suivi=True)
    choisir_frequence(par=chef_projet_cvl, frequence=Frequence.QUOTIDIEN)
    with django_capture_on_commit_callbacks(execute=True):
        actions.repondre(fil=fil, par=binome_bretagne, texte="Neuf mois, **25 000 €**.")
    executer_travaux()
    assert [m.to for m in mail.outbox] == [[binome_cvl.email]]  # the daily one waits
    assert "Neuf mois, **25 000 €**." in mail.outbox[0].body  # the Markdown source: a plain-text e-mail
    assert Notification.objects.filter(destinataire=chef_projet_cvl, courriel_envoye_le__isnull=True).count() == 1

    assert envoyer_resume_quotidien() == 1
    resume = mail.outbox[1]
    assert resume.to == [chef_projet_cvl.email]
    assert "a répondu à votre question « Inventaire quatre saisons sur une friche »" in resume.body
    assert envoyer_resume_quotidien() == 0  # once


def test_un_message_masque_avant_l_envoi_n_est_pas_notifie(
    fil, equipe_nationale, binome_bretagne, executer_travaux, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = actions.repondre(fil=fil, par=binome_bretagne, texte="Publicité")
        actions.masquer(fil=fil, reponse=reponse, par=equipe_nationale, motif="Publicité")
    executer_travaux()
    assert not Notification.objects.exists()
