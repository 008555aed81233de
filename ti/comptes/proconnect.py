"""ProConnect, the State's identity federation for professionals (OpenID Connect), via mozilla-django-oidc.

Accounts are opened by the national team, never by a login: ProConnect only proves who is there, and the
person is matched to an existing active account by e-mail, case ignored. The names ProConnect gives
(`given_name`, `usual_name`) refresh the account's; habilitations are never read from ProConnect.
"""

import logging

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

journal = logging.getLogger(__name__)


def email_des_claims(claims: dict) -> str:
    return (claims.get("email") or "").strip().lower()


class ProConnectBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict) -> bool:
        return bool(email_des_claims(claims))

    def filter_users_by_claims(self, claims: dict):
        email = email_des_claims(claims)
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        utilisateur = super().get_or_create_user(access_token, id_token, payload)
        if utilisateur is None:
            journal.info("ProConnect : aucun compte actif pour cette adresse ; connexion refusée.")
        return utilisateur

    def create_user(self, claims: dict):
        """Never: an unknown address gets no account (OIDC_CREATE_USER is off too; this holds if it is not)."""
        return None

    def update_user(self, user, claims: dict):
        champs = []
        for champ, claim in (("prenom", "given_name"), ("nom", "usual_name")):
            valeur = (claims.get(claim) or "").strip()[:100]
            if valeur and getattr(user, champ) != valeur:
                setattr(user, champ, valeur)
                champs.append(champ)
        if champs:
            user.save(update_fields=champs)
        return user

    def get_user(self, user_id):
        """As Django's ModelBackend: a deactivated account loses its open sessions."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def parametres_de_verrouillage(request, credentials) -> list:
    """django-axes lockout parameters (AXES_LOCKOUT_PARAMETERS as a callable).

    A password login counts failures per account and address. A ProConnect return carries no username: counting
    it per address alone would, after a few unknown e-mails, lock every ProConnect user behind the same network
    (a ministry's proxy). ProConnect protects its own login; such attempts are not counted here.
    """
    if not (credentials or {}).get("username"):
        return ["username"]  # axes records nothing for a missing username when it is the only parameter
    return [["username", "ip_address"]]
