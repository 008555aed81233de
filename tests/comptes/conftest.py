import pytest

from ti.comptes.models import Role

from ..factories import RegionFactory, UtilisateurFactory, utilisateur_avec

MOT_DE_PASSE = "mot-de-passe-de-test-1"  # the one UtilisateurFactory sets
SIRET_VALIDE = "91234567500017"


@pytest.fixture
def porteur(db):
    return utilisateur_avec(Role.PORTEUR, siret=SIRET_VALIDE, organisme="Forges du Gâtinais")


@pytest.fixture
def consultant(db):
    return utilisateur_avec(Role.CONSULTANT, organisme="Cabinet Exemple")


@pytest.fixture
def autre_national(db):
    return utilisateur_avec(Role.EQUIPE_NATIONALE)


@pytest.fixture
def sans_habilitation(db):
    return UtilisateurFactory(email="camille.martin@exemple.fr", prenom="Camille", nom="Martin")


@pytest.fixture
def region_sans_territoire(db):
    return RegionFactory(code="93", nom="Provence-Alpes-Côte d’Azur")
