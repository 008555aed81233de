"""The retention rule of accounts (docs/exploitation.md, docs/decisions/0032-conservation-des-comptes.md).

An account that has not logged in for CONSERVATION_COMPTES_ANS years (or never did, opened that long ago) and that
held no habilitation during that time is anonymised: names, organisation and address are erased, the password and
second-factor devices removed, its API tokens revoked, the account deactivated. The row stays, so that what the
person did (journal, transitions, dossiers filed, notes) keeps its author as « compte anonymisé n° … »; the journal
is kept as it is. Technical administrators are left out: their accounts are reviewed by hand.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes.models import Habilitation, Utilisateur
from ti.core.models import journaliser

DOMAINE_ANONYME = "anonymise.invalid"  # reserved domain (RFC 2606): no mail ever leaves for it


def limite():
    return timezone.now() - timedelta(days=365 * settings.CONSERVATION_COMPTES_ANS)


def comptes_a_anonymiser() -> QuerySet:
    depuis = limite()
    habilitations_recentes = Habilitation.objects.filter(
        Q(revoquee_le__isnull=True, valable_jusqu_au__isnull=True)  # still in force
        | Q(revoquee_le__gte=depuis)
        | Q(valable_jusqu_au__gte=depuis.date())
        | Q(accordee_le__gte=depuis)
    )
    return (
        Utilisateur.objects.filter(is_staff=False, is_superuser=False, anonymise_le__isnull=True)
        .filter(Q(last_login__lt=depuis) | Q(last_login__isnull=True, date_joined__lt=depuis))
        .exclude(pk__in=habilitations_recentes.values("utilisateur_id"))
        .order_by("pk")
    )


@transaction.atomic
def anonymiser(utilisateur: Utilisateur) -> Utilisateur:
    utilisateur = Utilisateur.objects.select_for_update().get(pk=utilisateur.pk)
    derniere_activite = utilisateur.last_login or utilisateur.date_joined
    utilisateur.email = f"compte-{utilisateur.pk}@{DOMAINE_ANONYME}"
    utilisateur.prenom = utilisateur.nom = utilisateur.organisation = ""
    utilisateur.set_unusable_password()
    utilisateur.is_active = False
    utilisateur.anonymise_le = timezone.now()
    utilisateur.save()
    TOTPDevice.objects.filter(user=utilisateur).delete()
    StaticDevice.objects.filter(user=utilisateur).delete()
    utilisateur.jetons_api.actifs().update(revoque_le=utilisateur.anonymise_le)
    journaliser(
        acteur=None,
        action="compte_anonymise",
        objet=utilisateur,
        details={"derniere_activite": derniere_activite.date().isoformat(), "ans": settings.CONSERVATION_COMPTES_ANS},
        motif="Règle de conservation des comptes inactifs",
    )
    return utilisateur
