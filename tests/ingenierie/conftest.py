from decimal import Decimal

import factory
import pytest

from tests.factories import ProjetFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.ingenierie.actions_phases import creer_phases
from ti.ingenierie.models import PHASES_PAR_DEFAUT, Mission, Offre, StatutMission, TypeMission, region_du_territoire


class MissionFactory(factory.django.DjangoModelFactory):
    """A mission with the four default phases, as the order gives them."""

    class Meta:
        model = Mission
        skip_postgeneration_save = True

    type = TypeMission.REBOND
    intitule = factory.Sequence(lambda n: f"Mission rebond industriel n°{n}")
    annee = 2023
    cabinet = "Cabinet Exemple Conseil"
    numero_commande = factory.Sequence(lambda n: f"ANCT-2023-{n:03d}")
    montant_ht = Decimal("30000")
    montant_ttc = Decimal("36000")
    jours_prevus = Decimal("30")
    statut = StatutMission.EN_COURS
    region = factory.LazyAttribute(lambda mission: region_du_territoire(mission.territoire))

    @factory.post_generation
    def phases(self, create, noms, **kwargs):
        if create:
            creer_phases(self, PHASES_PAR_DEFAUT if noms is None else noms)


@pytest.fixture
def offre_anct(db):
    return Offre.objects.get(titre="Marché d’ingénierie Territoires d’industrie (cabinets de conseil)")


@pytest.fixture
def offre_cerema(db):
    return Offre.objects.get(organisme="Cerema")


@pytest.fixture
def fiche_cvl(territoire_cvl):
    return ProjetFactory(territoire=territoire_cvl, titre="Reconversion de la friche Hutchinson")


@pytest.fixture
def consultant(db):
    return utilisateur_avec(Role.CONSULTANT, organisme="Cabinet Exemple Conseil")


@pytest.fixture
def mission_cvl(territoire_cvl, consultant):
    mission = MissionFactory(territoire=territoire_cvl)
    mission.consultants.add(consultant)
    return mission


@pytest.fixture
def mission_bretagne(territoire_bretagne):
    return MissionFactory(territoire=territoire_bretagne)
