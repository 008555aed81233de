import pytest

from ti.notifications.actions import notifier
from ti.notifications.models import Type

from ..factories import UtilisateurFactory


@pytest.fixture
def camille(db):
    return UtilisateurFactory(email="camille@exemple.gouv.fr")


@pytest.fixture
def dominique(db):
    return UtilisateurFactory(email="dominique@exemple.gouv.fr")


@pytest.fixture
def notifier_depot(django_capture_on_commit_callbacks):
    """Tells these people that a dossier was filed, as the filing's job does, with its e-mails queued."""

    def notifier_depot(*personnes, reference="FV2024-24-00001"):
        with django_capture_on_commit_callbacks(execute=True):
            return notifier(
                destinataires=[personne.pk for personne in personnes],
                type=Type.DOSSIER_DEPOSE,
                gabarit="financements/emails/dossier_depose",
                contexte={
                    "dossier": {
                        "reference": reference,
                        "intitule": "Chaufferie biomasse",
                        "porteur_nom": "Fonderie du Gâtinais (fictive)",
                        "territoire": "Est du Loiret",
                    },
                    "url_dossier": f"https://ti.exemple.gouv.fr/financements/dossiers/{reference}/",
                },
                lien=f"/financements/dossiers/{reference}/",
            )

    return notifier_depot
