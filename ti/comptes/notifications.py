"""E-mails to the people whose account changed: jobs of the queue (`ti.core.travaux.differer`), given primary keys."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ti.comptes.models import Habilitation, Utilisateur


def url_absolue(chemin: str) -> str:
    """`SITE_URL` (e.g. https://territoires-industrie.anct.gouv.fr) + path; in development the local server."""
    base = getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + chemin


def lien_mot_de_passe(utilisateur: Utilisateur) -> str:
    """The one-time link to choose a password (Django's reset token: it expires, and dies once used)."""
    chemin = reverse(
        "comptes:mot_de_passe_nouveau",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(utilisateur.pk)),
            "token": default_token_generator.make_token(utilisateur),
        },
    )
    return url_absolue(chemin)


def _envoyer(modele: str, destinataire: str, contexte: dict) -> None:
    contexte = {**contexte, "url_connexion": url_absolue(reverse("comptes:connexion"))}
    sujet = render_to_string(f"comptes/emails/{modele}_sujet.txt", contexte).strip()
    corps = render_to_string(f"comptes/emails/{modele}.txt", contexte)
    send_mail(sujet, corps, None, [destinataire])


def compte_ouvert(utilisateur_pk: int) -> None:
    utilisateur = Utilisateur.objects.get(pk=utilisateur_pk)
    jours = settings.PASSWORD_RESET_TIMEOUT // 86400
    _envoyer(
        "compte_ouvert",
        utilisateur.email,
        {"utilisateur": utilisateur, "lien": lien_mot_de_passe(utilisateur), "jours": jours},
    )


def reinitialisation(utilisateur_pk: int) -> None:
    """The link asked for with « Mot de passe oublié ? » (an account deactivated meanwhile gets nothing)."""
    utilisateur = Utilisateur.objects.filter(pk=utilisateur_pk, is_active=True).first()
    if utilisateur:
        _envoyer("reinitialisation", utilisateur.email, {"user": utilisateur, "lien": lien_mot_de_passe(utilisateur)})


def _habilitation(habilitation_pk: int) -> Habilitation:
    return Habilitation.objects.select_related("utilisateur", "region", "territoire").get(pk=habilitation_pk)


def habilitation_accordee(habilitation_pk: int) -> None:
    habilitation = _habilitation(habilitation_pk)
    _envoyer(
        "habilitation_accordee",
        habilitation.utilisateur.email,
        {"habilitation": habilitation, "url_espace": url_absolue(reverse("comptes:mon_espace"))},
    )


def habilitation_revoquee(habilitation_pk: int) -> None:
    habilitation = _habilitation(habilitation_pk)
    _envoyer("habilitation_revoquee", habilitation.utilisateur.email, {"habilitation": habilitation})


def confirmation_inscription(utilisateur_pk: int) -> None:
    """The link that activates a self-service account, signed when the job runs (no secret waits in the queue)."""
    from ti.comptes.inscription import jeton_de_confirmation  # inscription queues this job

    utilisateur = Utilisateur.objects.filter(
        pk=utilisateur_pk, inscription_autonome=True, adresse_confirmee_le__isnull=True
    ).first()
    if utilisateur is None:  # confirmed meanwhile
        return
    lien = url_absolue(reverse("comptes:confirmer_inscription", args=[jeton_de_confirmation(utilisateur)]))
    _envoyer(
        "confirmation_inscription",
        utilisateur.email,
        {"utilisateur": utilisateur, "lien": lien, "heures": settings.INSCRIPTION_LIEN_HEURES},
    )


def compte_existant(utilisateur_pk: int) -> None:
    """A sign-up with the address of an existing account: told to its holder only, never on the page."""
    utilisateur = Utilisateur.objects.get(pk=utilisateur_pk)
    _envoyer(
        "compte_existant",
        utilisateur.email,
        {"utilisateur": utilisateur, "url_oubli": url_absolue(reverse("comptes:mot_de_passe_oublie"))},
    )
