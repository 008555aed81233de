"""Permission rules of engineering missions and requests, role by role, with both answers side by side: each test fails
when a rule lets one more role in or keeps one out (found by the mutation run, decision 0067)."""

import pytest

from tests.factories import HabilitationFactory, UtilisateurFactory, utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from ti.comptes.models import Role
from ti.comptes.permissions import peut, q_demandes_ingenierie_visibles, q_missions_visibles
from ti.ingenierie.models import Demande, Mission, StatutDemande

pytestmark = pytest.mark.django_db

PERSONAS = ["equipe_nationale", "nomme", "autre_consultant", "nomme_sans_role", "chef", "binome", "instructeur"]
ATTENDU = {  # rule → the personas it lets in, on a mission of the chef's and binôme's territory
    "declarer_jours": {"equipe_nationale", "nomme"},
    "deposer_livrable": {"nomme"},
    "evaluer_mission": {"chef", "binome"},
    "rattacher_fiches_mission": {"equipe_nationale", "chef", "binome"},
}


@pytest.fixture
def mission_et_personas(territoire_cvl, cvl, equipe_nationale):
    mission = MissionFactory(territoire=territoire_cvl)
    personas = {
        "equipe_nationale": equipe_nationale,
        "nomme": utilisateur_avec(Role.CONSULTANT, organisme="Cabinet A"),
        "autre_consultant": utilisateur_avec(Role.CONSULTANT, organisme="Cabinet B"),
        "nomme_sans_role": UtilisateurFactory(),  # still named on the mission, his habilitation withdrawn
        "chef": utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl),
        "binome": utilisateur_avec(Role.BINOME, territoire=territoire_cvl),
        "instructeur": utilisateur_avec(Role.INSTRUCTEUR, region=cvl),
    }
    mission.consultants.add(personas["nomme"], personas["nomme_sans_role"])
    return mission, personas


@pytest.mark.parametrize("regle", sorted(ATTENDU))
def test_qui_agit_sur_une_mission(mission_et_personas, regle):
    mission, personas = mission_et_personas
    admis = {nom for nom in PERSONAS if peut(personas[nom], regle, mission)}
    assert admis == ATTENDU[regle]


def _demande(territoire, statut):
    return Demande.objects.create(
        territoire=territoire,
        besoin="Diagnostic",
        livrables_attendus="Diagnostic",
        calendrier="2026",
        statut=statut,
        cree_par=utilisateur_avec(Role.CHEF_PROJET, territoire=territoire),
    )


def test_qui_voit_quelles_demandes_d_ingenierie(territoire_cvl, territoire_bretagne, cvl, equipe_nationale):
    demandes = {
        "brouillon_cvl": _demande(territoire_cvl, StatutDemande.BROUILLON),
        "soumise_cvl": _demande(territoire_cvl, StatutDemande.SOUMISE),
        "brouillon_bretagne": _demande(territoire_bretagne, StatutDemande.BROUILLON),
        "soumise_bretagne": _demande(territoire_bretagne, StatutDemande.SOUMISE),
    }
    noms = {demande.pk: nom for nom, demande in demandes.items()}

    def visibles(user):
        return {
            noms[pk] for pk in Demande.objects.filter(q_demandes_ingenierie_visibles(user)).values_list("pk", flat=True)
        }

    assert visibles(utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)) == {"brouillon_cvl", "soumise_cvl"}
    assert visibles(utilisateur_avec(Role.INSTRUCTEUR, region=cvl)) == {"soumise_cvl"}
    assert visibles(equipe_nationale) == {"soumise_cvl", "soumise_bretagne"}
    assert visibles(utilisateur_avec(Role.CONSULTANT, organisme="Cabinet A")) == set()
    assert visibles(utilisateur_avec(Role.PORTEUR, siret="73282932000074")) == set()
    chef_en_bretagne_et_instructeur_en_cvl = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)
    HabilitationFactory(utilisateur=chef_en_bretagne_et_instructeur_en_cvl, role=Role.INSTRUCTEUR, region=cvl)
    assert visibles(chef_en_bretagne_et_instructeur_en_cvl) == {"brouillon_bretagne", "soumise_bretagne", "soumise_cvl"}


def test_les_missions_visibles_s_additionnent_d_un_role_a_l_autre(territoire_cvl, territoire_bretagne, bretagne):
    en_cvl, en_bretagne = MissionFactory(territoire=territoire_cvl), MissionFactory(territoire=territoire_bretagne)
    MissionFactory(territoire=territoire_bretagne)  # of the Bretagne roles only

    def visibles(user):
        return set(Mission.objects.filter(q_missions_visibles(user)).distinct().values_list("pk", flat=True))

    consultant_et_chef = utilisateur_avec(Role.CONSULTANT, organisme="Cabinet A")
    HabilitationFactory(utilisateur=consultant_et_chef, role=Role.CHEF_PROJET, territoire=territoire_cvl)
    en_bretagne.consultants.add(consultant_et_chef)
    assert visibles(consultant_et_chef) == {en_cvl.pk, en_bretagne.pk}

    chef_et_instructeur = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)
    HabilitationFactory(utilisateur=chef_et_instructeur, role=Role.INSTRUCTEUR, region=bretagne)
    assert visibles(chef_et_instructeur) == set(Mission.objects.values_list("pk", flat=True))
