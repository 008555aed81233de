"""Self-service accounts of applicants (porteurs de projet): sign-up by e-mail, confirmation link, SIRET claims.

- An applicant opens his own account with his address and a password; it stays inactive until he opens the link
  e-mailed to him (signed, valid `INSCRIPTION_LIEN_HEURES`, dead once used). Agents keep the accounts the national
  team opens for them, and ProConnect where it is configured.
- The page never tells whether an address already has an account: a second sign-up with a known address gets the
  same answer, and the address receives an e-mail (a new link if it was never confirmed, else a reminder that the
  account exists, with the way to a new password).
- Each address may send `INSCRIPTIONS_PAR_ADRESSE` sign-ups within the lockout's cool-off (`AXES_COOLOFF_TIME`),
  as the login is bounded per address (ti/comptes/verrouillage.py).
- The SIRETs he files for are claimed at sign-up or later (« Mes entreprises »): each is a porteur habilitation
  (`revendiquee`), at once; the national team may withdraw it (`actions.revoquer_habilitation`). See decision 0053.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ti.comptes import annuaire_entreprises, permissions
from ti.comptes.models import Habilitation, Role, Utilisateur, Verification
from ti.core.etats import Refus
from ti.core.formats import date_longue
from ti.core.models import journaliser
from ti.core.reseau import adresse_client
from ti.core.travaux import differer
from ti.core.validateurs import valider_siret

SEL_CONFIRMATION = "ti.comptes.inscription.confirmation"
REVENDICATIONS_MAX = 5  # SIRETs one account may claim at once: a company group, not a directory
LIEN_INVALIDE = (
    "Ce lien de confirmation n’est pas valide : vérifiez qu’il a été copié en entier depuis le courriel, "
    "ou demandez-en un nouveau ci-dessous."
)


# Rate limit ------------------------------------------------------------------------------------------------------


def accepter_un_envoi(request) -> bool:
    """Counts one sign-up (or a new link asked) from the caller's address; False beyond the bound."""
    cle = f"comptes:inscriptions:{adresse_client(request)}"
    cache.add(cle, 0, timeout=int(settings.AXES_COOLOFF_TIME * 3600))
    return cache.incr(cle) <= settings.INSCRIPTIONS_PAR_ADRESSE


# Confirmation link -----------------------------------------------------------------------------------------------


def jeton_de_confirmation(utilisateur: Utilisateur) -> str:
    """Signed (SECRET_KEY), dated, bound to the account and its address: it dies with a change of either."""
    return signing.dumps({"u": utilisateur.pk, "e": utilisateur.email}, salt=SEL_CONFIRMATION, compress=True)


def _lire_jeton(jeton: str) -> Utilisateur:
    try:
        contenu = signing.loads(jeton, salt=SEL_CONFIRMATION, max_age=settings.INSCRIPTION_LIEN_HEURES * 3600)
    except signing.SignatureExpired:
        raise Refus(
            f"Ce lien de confirmation a expiré : il était valable {settings.INSCRIPTION_LIEN_HEURES} heures. "
            "Demandez-en un nouveau ci-dessous."
        ) from None
    except signing.BadSignature:
        raise Refus(LIEN_INVALIDE) from None
    utilisateur = Utilisateur.objects.select_for_update().filter(pk=contenu.get("u"), email=contenu.get("e")).first()
    if utilisateur is None or not utilisateur.inscription_autonome:
        raise Refus(LIEN_INVALIDE)
    return utilisateur


@transaction.atomic
def confirmer(*, jeton: str) -> Utilisateur:
    """Activates the account the link names, once: a used link, or an account deactivated since, is refused."""
    utilisateur = _lire_jeton(jeton)
    if utilisateur.adresse_confirmee_le is not None:
        raise Refus("Cette adresse est déjà confirmée : connectez-vous avec votre mot de passe.")
    utilisateur.is_active = True
    utilisateur.adresse_confirmee_le = timezone.now()
    utilisateur.save(update_fields=["is_active", "adresse_confirmee_le"])
    journaliser(acteur=utilisateur, action="inscription_confirmee", objet=utilisateur, details={})
    return utilisateur


# The directory -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consultation:
    """What is known of a SIRET before it is claimed."""

    siret: str
    verification: str
    nom: str = ""
    adresse: str = ""


def siret_valide(siret: str) -> str:
    try:
        return valider_siret(siret)
    except ValidationError as erreur:
        raise Refus(erreur.messages[0]) from None


def consulter_annuaire(siret: str) -> Consultation:
    """The SIRET checked (14 digits, key) and, when the setting asks it, looked up in the company directory. Call it
    outside any transaction: it may wait for the network. Refus when the directory knows no open establishment."""
    siret = siret_valide(siret)
    if not settings.ANNUAIRE_ENTREPRISES_VERIFICATION:
        return Consultation(siret=siret, verification=Verification.NON_INTERROGE)
    reponse = annuaire_entreprises.interroger(siret)
    if reponse is None:
        return Consultation(siret=siret, verification=Verification.A_VERIFIER)
    if not reponse.trouve:
        raise Refus(
            f"Aucun établissement ne porte le SIRET {siret} dans l’annuaire des entreprises : vérifiez-le sur "
            "votre extrait Kbis ou votre avis de situation au répertoire Sirene."
        )
    if reponse.ferme:
        raise Refus(f"L’établissement {siret} ({reponse.nom}) est fermé selon l’annuaire des entreprises.")
    return Consultation(siret=siret, verification=Verification.VERIFIE, nom=reponse.nom, adresse=reponse.adresse)


# Claims ----------------------------------------------------------------------------------------------------------


def _enregistrer_revendication(utilisateur: Utilisateur, consultation: Consultation, organisme: str) -> Habilitation:
    """Inside the caller's transaction, on the account's locked row."""
    siret = consultation.siret
    leurs = Habilitation.objects.filter(utilisateur=utilisateur, role=Role.PORTEUR)
    if leurs.actives().filter(siret=siret).exists():
        raise Refus(f"Le SIRET {siret} figure déjà dans « Mes entreprises ».")
    retiree = leurs.filter(siret=siret, revoquee_le__isnull=False).order_by("-revoquee_le").first()
    if retiree is not None:
        raise Refus(
            f"L’équipe nationale a retiré votre habilitation sur le SIRET {siret} le "
            f"{date_longue(retiree.revoquee_le)} ; adressez-vous à elle pour la "
            "rétablir."
        )
    if leurs.actives().filter(revendiquee=True).count() >= REVENDICATIONS_MAX:
        raise Refus(f"Un compte déclare au plus {REVENDICATIONS_MAX} entreprises : adressez-vous à l’équipe nationale.")
    habilitation = Habilitation.objects.create(
        utilisateur=utilisateur,
        role=Role.PORTEUR,
        siret=siret,
        organisme=(consultation.nom or organisme).strip()[:200],
        adresse=consultation.adresse,
        revendiquee=True,
        verification=consultation.verification,
        accordee_par=None,
        accordee_le=timezone.now(),
    )
    journaliser(
        acteur=utilisateur,
        action="siret_revendique",
        objet=habilitation,
        details={"siret": siret, "verification": consultation.verification, "organisme": habilitation.organisme},
    )
    return habilitation


def revendiquer_siret(*, par: Utilisateur, siret: str, organisme: str = "") -> Habilitation:
    """Attach a SIRET to the applicant's account at once: he may file for it. The directory is asked first, outside
    the transaction (a network wait must not hold a row lock)."""
    permissions.exiger(par, "revendiquer_siret")
    consultation = consulter_annuaire(siret)
    with transaction.atomic():
        utilisateur = Utilisateur.objects.select_for_update().get(pk=par.pk)
        return _enregistrer_revendication(utilisateur, consultation, organisme)


# Sign-up ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def inscrire(
    *,
    email: str,
    prenom: str,
    nom: str,
    mot_de_passe: str,
    consultation: Consultation | None = None,
    organisme: str = "",
) -> Utilisateur | None:
    """Opens an inactive account and queues its confirmation e-mail; None (and an e-mail to the address) when the
    address already has an account, which the caller never tells apart."""
    email = email.strip().lower()
    existant = Utilisateur.objects.select_for_update().filter(email__iexact=email).first()
    if existant is not None:
        if existant.inscription_autonome and existant.adresse_confirmee_le is None:
            differer("ti.comptes.notifications.confirmation_inscription", existant.pk)
        else:
            differer("ti.comptes.notifications.compte_existant", existant.pk)
        return None
    utilisateur = Utilisateur.objects.create_user(
        email,
        password=mot_de_passe,
        prenom=prenom,
        nom=nom,
        organisation=((consultation.nom if consultation else "") or organisme)[:200],
        is_active=False,
        inscription_autonome=True,
    )
    journaliser(acteur=None, action="inscription", objet=utilisateur, details={"email": email})
    if consultation is not None:
        _enregistrer_revendication(utilisateur, consultation, organisme)
    differer("ti.comptes.notifications.confirmation_inscription", utilisateur.pk)
    return utilisateur


def renvoyer_lien(*, email: str) -> None:
    """A new confirmation link, if this address has an account waiting for it; nothing said either way."""
    utilisateur = Utilisateur.objects.filter(
        email__iexact=email.strip(), inscription_autonome=True, adresse_confirmee_le__isnull=True
    ).first()
    if utilisateur is not None:
        differer("ti.comptes.notifications.confirmation_inscription", utilisateur.pk)
