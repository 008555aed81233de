"""State changes of accounts and habilitations: one transaction each, the permission check, the audit row,
the e-mail to the person after commit. Only the national team acts here, and never on its own account."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ti.comptes import permissions
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.travaux import differer
from ti.referentiel.models import Region
from ti.territoires.actions import constater_chef_projet
from ti.territoires.models import Territoire


def _jamais_soi_meme(par: Utilisateur, utilisateur: Utilisateur, verbe: str) -> None:
    if par.pk == utilisateur.pk:
        raise Refus(
            f"Vous ne pouvez pas {verbe} vos propres habilitations : "
            "demandez-le à un autre membre de l’équipe nationale."
        )


@transaction.atomic
def creer_compte(*, par: Utilisateur, email: str, prenom: str, nom: str, organisation: str = "") -> Utilisateur:
    """Open an account without a password; its holder receives a link to choose one."""
    permissions.exiger(par, "gerer_habilitations")
    email = email.strip().lower()
    if Utilisateur.objects.filter(email__iexact=email).exists():
        raise Refus("Un compte existe déjà avec cette adresse électronique.")
    utilisateur = Utilisateur.objects.create_user(
        email, password=None, prenom=prenom, nom=nom, organisation=organisation
    )
    journaliser(
        acteur=par,
        action="compte_ouvert",
        objet=utilisateur,
        details={"email": email, "prenom": prenom, "nom": nom, "organisation": organisation},
    )
    differer("ti.comptes.notifications.compte_ouvert", utilisateur.pk)
    return utilisateur


@transaction.atomic
def accorder_habilitation(
    *,
    par: Utilisateur,
    utilisateur: Utilisateur,
    role: str,
    region: Region | None = None,
    territoire: Territoire | None = None,
    siret: str = "",
    organisme: str = "",
    valable_jusqu_au: date | None = None,
    motif: str = "",
) -> Habilitation:
    permissions.exiger(par, "gerer_habilitations")
    _jamais_soi_meme(par, utilisateur, "modifier")
    # One grant at a time per account, so that two national agents cannot grant the same habilitation twice.
    utilisateur = Utilisateur.objects.select_for_update().get(pk=utilisateur.pk)
    if not utilisateur.is_active:
        raise Refus("Ce compte est désactivé : réactivez-le avant de lui accorder une habilitation.")
    habilitation = Habilitation(
        utilisateur=utilisateur,
        role=role,
        region=region,
        territoire=territoire,
        siret=siret,
        organisme=organisme,
        valable_jusqu_au=valable_jusqu_au,
        accordee_par=par,
        accordee_le=timezone.now(),
    )
    habilitation.full_clean()
    deja = Habilitation.objects.actives().filter(
        utilisateur=utilisateur, role=role, region=region, territoire=territoire, siret=siret
    )
    if deja.exists():
        raise Refus(f"Cette personne détient déjà l’habilitation « {habilitation} ».")
    habilitation.save()
    journaliser(
        acteur=par,
        action="habilitation_accordee",
        objet=habilitation,
        details={
            "utilisateur": utilisateur.email,
            "role": role,
            "region": region.pk if region else None,
            "territoire": territoire.identifiant if territoire else None,
            "siret": siret,
            "valable_jusqu_au": valable_jusqu_au.isoformat() if valable_jusqu_au else None,
        },
        motif=motif,
    )
    if role == Role.CHEF_PROJET:  # the territory's chef de projet status follows (journalled there)
        constater_chef_projet(territoire_id=territoire.pk, par=par, motif=f"Chef de projet habilité : {utilisateur}")
    differer("ti.comptes.notifications.habilitation_accordee", habilitation.pk)
    return habilitation


@transaction.atomic
def revoquer_habilitation(*, par: Utilisateur, habilitation: Habilitation, motif: str) -> Habilitation:
    """End a habilitation; the row stays, with who ended it, when and why."""
    permissions.exiger(par, "gerer_habilitations")
    motif = motif.strip()
    if not motif:
        raise Refus("Indiquez le motif du retrait.")
    habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
    _jamais_soi_meme(par, habilitation.utilisateur, "retirer")
    if not habilitation.active:
        raise Refus("Cette habilitation a déjà été retirée.")
    habilitation.revoquee_le = timezone.now()
    habilitation.revoquee_par = par
    habilitation.motif = motif
    habilitation.save(update_fields=["revoquee_le", "revoquee_par", "motif"])
    journaliser(
        acteur=par,
        action="habilitation_revoquee",
        objet=habilitation,
        details={"utilisateur": habilitation.utilisateur.email, "role": habilitation.role},
        motif=motif,
    )
    if habilitation.role == Role.CHEF_PROJET:
        constater_chef_projet(
            territoire_id=habilitation.territoire_id,
            par=par,
            motif=f"Habilitation de chef de projet retirée à {habilitation.utilisateur} : {motif}",
        )
    differer("ti.comptes.notifications.habilitation_revoquee", habilitation.pk)
    return habilitation
