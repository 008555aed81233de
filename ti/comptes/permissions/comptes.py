"""Accounts: who grants habilitations, who claims a SIRET, who must give a second factor, who follows the jobs."""

from ti.comptes.models import Habilitation, Role

from .socle import est_equipe_nationale, regle, roles

# Those who decide on money and rights give a second factor after their password (ti/comptes/double_facteur.py).
ROLES_A_DOUBLE_FACTEUR = frozenset({Role.EQUIPE_NATIONALE, Role.INSTRUCTEUR})


def exige_double_facteur(user) -> bool:
    """Whether this account must give a second factor: its roles (read at each request) or the technical admin.
    Not a rule of `peut`: it holds for a deactivated account too, which the middleware still stops."""
    return user.is_authenticated and (user.is_staff or bool(ROLES_A_DOUBLE_FACTEUR & roles(user)))


@regle("gerer_habilitations")
def _gerer_habilitations(user, objet=None) -> bool:
    """The national team opens accounts and grants or revokes habilitations; nobody ever acts on their own."""
    if not est_equipe_nationale(user):
        return False
    if isinstance(objet, Habilitation):
        return objet.utilisateur_id != user.pk
    if objet is not None:  # an account
        return objet.pk != user.pk
    return True


# An applicant who opened his own account claims the SIRETs he files for (« Mes entreprises », decision 0053).
regle("revendiquer_siret", lambda user, objet=None: user.inscription_autonome)


@regle("suivre_travaux")
def _suivre_travaux(user, objet=None) -> bool:
    """The job queue's failures (e-mails not sent) are followed by the national team."""
    return est_equipe_nationale(user)
