"""API tokens: created and revoked by their holder (each step logged), recognised by the API by their SHA-256.

A key is « ti_ » followed by 43 random URL-safe characters (256 bits from `secrets`): far beyond guessing, so a
plain SHA-256 is enough to keep it (a slow password hash protects low-entropy secrets, not these), and a key is
found by an indexed equality on its hash, in one query. The clear key exists only in the answer to its creation.
A token acts with its holder's scope as it is at each call: a withdrawn habilitation narrows it at once, a
deactivated account or a revoked token is refused.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ti.comptes.models import JetonApi, Utilisateur
from ti.core.etats import Refus
from ti.core.models import journaliser

PREFIXE = "ti_"
JETONS_ACTIFS_MAX = 10
UTILISATION_NOTEE_TOUTES_LES = timedelta(minutes=1)  # spare a write on every call of a busy script


def empreinte(cle: str) -> str:
    return hashlib.sha256(cle.encode("utf-8")).hexdigest()


def _exiger_titulaire(par: Utilisateur, jeton: JetonApi) -> None:
    if not par.is_authenticated or jeton.utilisateur_id != par.pk:
        raise PermissionDenied("Seul le titulaire d’un jeton peut le révoquer.")


@transaction.atomic
def creer_jeton(*, par: Utilisateur, nom: str) -> tuple[JetonApi, str]:
    """A new token for `par` himself; returns it with its clear key, to show once and never again."""
    if not par.is_authenticated or not par.is_active:
        raise PermissionDenied("Connectez-vous pour créer un jeton d’API.")
    nom = " ".join(nom.split())
    if not nom:
        raise Refus("Donnez un nom au jeton, pour le reconnaître plus tard.")
    Utilisateur.objects.select_for_update().get(pk=par.pk)  # two creations at once cannot pass the limit together
    if JetonApi.objects.actifs().filter(utilisateur=par).count() >= JETONS_ACTIFS_MAX:
        raise Refus(f"Vous avez déjà {JETONS_ACTIFS_MAX} jetons actifs : révoquez-en un avant d’en créer un autre.")
    cle = PREFIXE + secrets.token_urlsafe(32)
    jeton = JetonApi.objects.create(utilisateur=par, nom=nom[:100], prefixe=cle[:11], empreinte=empreinte(cle))
    journaliser(acteur=par, action="jeton_api_cree", objet=jeton, details={"nom": jeton.nom, "prefixe": jeton.prefixe})
    return jeton, cle


@transaction.atomic
def revoquer_jeton(*, par: Utilisateur, jeton: JetonApi) -> JetonApi:
    _exiger_titulaire(par, jeton)
    jeton = JetonApi.objects.select_for_update().get(pk=jeton.pk)
    if not jeton.actif:
        raise Refus("Ce jeton est déjà révoqué.")
    jeton.revoque_le = timezone.now()
    jeton.save(update_fields=["revoque_le"])
    journaliser(
        acteur=par, action="jeton_api_revoque", objet=jeton, details={"nom": jeton.nom, "prefixe": jeton.prefixe}
    )
    return jeton


def titulaire(cle: str) -> Utilisateur | None:
    """The active holder of an active key, or None (unknown, revoked, or account deactivated). One query, plus one
    write at most once a minute to note the use."""
    if not cle.startswith(PREFIXE) or len(cle) > 100:
        return None
    jeton = (
        JetonApi.objects.actifs()
        .select_related("utilisateur")
        .filter(empreinte=empreinte(cle), utilisateur__is_active=True)
        .first()
    )
    if jeton is None:
        return None
    maintenant = timezone.now()
    if jeton.utilise_le is None or maintenant - jeton.utilise_le >= UTILISATION_NOTEE_TOUTES_LES:
        JetonApi.objects.filter(pk=jeton.pk).update(utilise_le=maintenant)
    return jeton.utilisateur
