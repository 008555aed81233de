"""The « Ingénierie » section of a territory's page: requests through the permission layer, missions with their
public fields for everybody, the button to ask for support for the territory's chef de projet and binôme."""

import pytest

from tests.factories import utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from ti.comptes.models import Role
from ti.ingenierie.models import Demande, StatutDemande, StatutMission

pytestmark = pytest.mark.django_db


def demande(territoire, statut, besoin):
    return Demande.objects.create(
        territoire=territoire,
        besoin=besoin,
        livrables_attendus="Diagnostic",
        calendrier="2026",
        statut=statut,
        cree_par=utilisateur_avec(Role.CHEF_PROJET, territoire=territoire),
    )


@pytest.fixture
def section(territoire_cvl, mission_cvl):
    MissionFactory(territoire=territoire_cvl, intitule="Mission abandonnée", statut=StatutMission.ANNULEE)
    return {
        "brouillon": demande(territoire_cvl, StatutDemande.BROUILLON, "Brouillon"),
        "soumise": demande(territoire_cvl, StatutDemande.SOUMISE, "Soumise"),
    }


def ingenierie(client, territoire):
    return client.get(territoire.get_absolute_url()).context["ingenierie"]


def test_un_visiteur_voit_les_missions_sans_lien_ni_demande(client, section, territoire_cvl, mission_cvl):
    vue = ingenierie(client, territoire_cvl)
    assert [(m.intitule, m.ouvrable) for m in vue["missions"]] == [(mission_cvl.intitule, False)]
    assert vue["demandes"] == [] and not vue["peut_demander"]
    page = client.get(territoire_cvl.get_absolute_url()).content.decode()
    assert mission_cvl.cabinet in page and mission_cvl.get_absolute_url() not in page
    assert "Demander un accompagnement" not in page and "Mission abandonnée" not in page


def test_le_chef_de_projet_voit_ses_demandes_et_peut_demander(client, section, territoire_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    vue = ingenierie(client, territoire_cvl)
    assert {d.besoin for d in vue["demandes"]} == {"Brouillon", "Soumise"}
    assert vue["peut_demander"] and all(m.ouvrable for m in vue["missions"])
    page = client.get(territoire_cvl.get_absolute_url()).content.decode()
    assert f"/ingenierie/territoires/{territoire_cvl.identifiant}/demander/" in page


def test_la_region_voit_les_demandes_soumises_sans_pouvoir_demander(
    client, section, territoire_cvl, referent_region_cvl
):
    client.force_login(referent_region_cvl)
    vue = ingenierie(client, territoire_cvl)
    assert [d.besoin for d in vue["demandes"]] == ["Soumise"] and not vue["peut_demander"]


def test_le_consultant_n_ouvre_que_ses_missions_et_ne_voit_aucune_demande(
    client, section, territoire_cvl, consultant, mission_cvl
):
    autre = MissionFactory(territoire=territoire_cvl, intitule="Mission d’un autre cabinet")
    client.force_login(consultant)
    vue = ingenierie(client, territoire_cvl)
    assert {(m.pk, m.ouvrable) for m in vue["missions"]} == {(mission_cvl.pk, True), (autre.pk, False)}
    assert vue["demandes"] == []


def test_le_chef_de_projet_d_un_autre_territoire_ne_voit_rien_de_prive(
    client, section, territoire_cvl, territoire_bretagne
):
    client.force_login(utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne))
    vue = ingenierie(client, territoire_cvl)
    assert vue["demandes"] == [] and not vue["peut_demander"]
    assert not any(m.ouvrable for m in vue["missions"])


def test_la_section_en_requetes_bornees(client, territoire_cvl, chef_projet_cvl, django_assert_max_num_queries):
    client.force_login(chef_projet_cvl)
    client.get(territoire_cvl.get_absolute_url())
    MissionFactory.create_batch(3, territoire=territoire_cvl)
    for n in range(3):
        demande(territoire_cvl, StatutDemande.SOUMISE, f"Besoin {n}")
    with django_assert_max_num_queries(30) as peu:
        client.get(territoire_cvl.get_absolute_url())
    MissionFactory.create_batch(15, territoire=territoire_cvl)
    for n in range(15):
        demande(territoire_cvl, StatutDemande.SOUMISE, f"Autre besoin {n}")
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(territoire_cvl.get_absolute_url())
