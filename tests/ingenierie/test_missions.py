"""Missions: a consultant sees his missions and nothing else (404), declares his days within the order; the national
team steers the status; the région's page states the missions from records."""

from decimal import Decimal

import pytest
import tablib
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.factories import utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from ti.comptes.models import Role
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.ingenierie import actions
from ti.ingenierie.models import Mission, StatutMission, TypeMission
from ti.ingenierie.selectors import phrase_missions_region

pytestmark = pytest.mark.django_db


def test_le_consultant_ne_voit_que_ses_missions(client, consultant, mission_cvl, mission_bretagne):
    autre_du_territoire = MissionFactory(territoire=mission_cvl.territoire)
    client.force_login(consultant)

    assert client.get(mission_cvl.get_absolute_url()).status_code == 200
    assert client.get(mission_bretagne.get_absolute_url()).status_code == 404
    assert client.get(autre_du_territoire.get_absolute_url()).status_code == 404
    assert client.get(reverse("ingenierie:tableau")).context["missions"] == [mission_cvl]


def test_un_consultant_dont_l_habilitation_est_retiree_ne_voit_plus_rien(client, consultant, mission_cvl):
    consultant.habilitations.update(revoquee_le="2026-01-01T00:00:00Z")
    client.force_login(consultant)
    assert client.get(mission_cvl.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "en_cvl", "en_bretagne"),
    [
        ("equipe_nationale", 200, 200),
        ("referent_region_cvl", 200, 404),
        ("chef_projet_cvl", 200, 404),
        ("instructeur_bretagne", 404, 200),
        ("porteur", 404, 404),
    ],
)
def test_qui_voit_une_mission(client, request, mission_cvl, mission_bretagne, role, en_cvl, en_bretagne):
    utilisateur = (
        utilisateur_avec(Role.PORTEUR, siret="73282932000074") if role == "porteur" else request.getfixturevalue(role)
    )
    client.force_login(utilisateur)
    assert client.get(mission_cvl.get_absolute_url()).status_code == en_cvl
    assert client.get(mission_bretagne.get_absolute_url()).status_code == en_bretagne


def test_un_visiteur_est_renvoye_a_la_connexion(client, mission_cvl):
    assert client.get(mission_cvl.get_absolute_url()).status_code == 302


def test_le_consultant_declare_ses_jours_dans_la_limite_de_la_commande(client, consultant, mission_cvl):
    client.force_login(consultant)
    assert client.post(mission_cvl.get_absolute_url(), {"jours_consommes": "12.5"}).status_code == 302
    mission_cvl.refresh_from_db()
    assert mission_cvl.jours_consommes == Decimal("12.5")
    assert Journal.objects.get(action="ingenierie.jours_declares").details == {"jours_consommes": ["0.0", "12.5"]}

    reponse = client.post(mission_cvl.get_absolute_url(), {"jours_consommes": "31"})
    assert reponse.status_code == 400 and "ne peuvent pas dépasser les 30" in reponse.content.decode()
    mission_cvl.refresh_from_db()
    assert mission_cvl.jours_consommes == Decimal("12.5")


def test_le_consultant_ne_change_pas_le_statut(client, consultant, mission_cvl):
    client.force_login(consultant)
    assert client.post(mission_cvl.get_absolute_url(), {"statut": "terminee"}).status_code == 403
    mission_cvl.refresh_from_db()
    assert mission_cvl.statut == StatutMission.EN_COURS


def test_le_territoire_lit_sa_mission_sans_la_piloter(client, chef_projet_cvl, mission_cvl):
    client.force_login(chef_projet_cvl)
    assert client.post(mission_cvl.get_absolute_url(), {"jours_consommes": "3"}).status_code == 403
    assert client.post(mission_cvl.get_absolute_url(), {"statut": "en_pause"}).status_code == 403


def test_l_equipe_nationale_pilote_le_statut_selon_le_parcours(client, equipe_nationale, mission_cvl):
    client.force_login(equipe_nationale)
    assert client.post(mission_cvl.get_absolute_url(), {"statut": "en_pause", "motif": "Élections"}).status_code == 302
    mission_cvl.refresh_from_db()
    assert mission_cvl.statut == StatutMission.EN_PAUSE
    assert Journal.objects.get(action="ingenierie.statut_mission").motif == "Élections"

    reponse = client.post(mission_cvl.get_absolute_url(), {"statut": "terminee"})
    assert reponse.status_code == 400 and "« en pause » ne peut pas passer à « terminée »" in reponse.content.decode()


def test_une_mission_annulee_ne_repart_pas(equipe_nationale, mission_cvl):
    actions.changer_statut_mission(mission=mission_cvl, par=equipe_nationale, statut="annulee")
    with pytest.raises(Refus):
        actions.changer_statut_mission(mission=mission_cvl, par=equipe_nationale, statut="en_cours")


def test_les_pages_des_missions_en_peu_de_requetes(client, consultant, territoire_cvl, django_assert_max_num_queries):
    missions = MissionFactory.create_batch(6, territoire=territoire_cvl)
    for mission in missions:
        mission.consultants.add(consultant)
    client.force_login(consultant)
    ContentType.objects.get_for_model(Mission)  # cached per process: the first history read of a run looks it up
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("ingenierie:tableau")).context["missions"]) == 6
    with django_assert_max_num_queries(12):
        assert client.get(missions[0].get_absolute_url()).status_code == 200


def test_la_phrase_de_la_region_est_calculee_des_missions(cvl, territoire_cvl, territoire_bretagne):
    assert phrase_missions_region(cvl) == ""
    MissionFactory(territoire=territoire_cvl, type=TypeMission.CHOC, annee=2022, statut=StatutMission.TERMINEE)
    MissionFactory(territoire=territoire_cvl, type=TypeMission.REBOND, annee=2023, statut=StatutMission.TERMINEE)
    MissionFactory(territoire=territoire_cvl, type=TypeMission.REBOND, annee=2024, statut=StatutMission.EN_COURS)
    MissionFactory(territoire=territoire_cvl, type=TypeMission.REBOND, annee=2025, statut=StatutMission.ANNULEE)
    MissionFactory(territoire=territoire_bretagne, type=TypeMission.CHOC, annee=2021)

    assert phrase_missions_region(cvl) == (
        "1 mission choc industriel en 2022 sur Est du Loiret ; "
        "2 missions rebond industriel depuis 2023 sur Est du Loiret."
    )


def test_la_page_de_la_region_dit_ses_missions(client, cvl, territoire_cvl):
    MissionFactory(territoire=territoire_cvl, type=TypeMission.CHOC, annee=2022, statut=StatutMission.TERMINEE)
    page = client.get(reverse("territoires:region", args=[cvl.code])).content.decode()
    assert "1 mission choc industriel en 2022 sur Est du Loiret." in page


def test_l_export_ne_contient_que_les_missions_visibles_sans_formule(client, consultant, mission_cvl, mission_bretagne):
    mission_cvl.intitule = '=HYPERLINK("http://pirate.example")'
    mission_cvl.save()
    client.force_login(consultant)

    reponse = client.get(reverse("ingenierie:export_missions", args=["csv"]))
    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert reponse["Content-Type"].startswith("text/csv")
    assert len(lignes) == 2 and lignes[0].startswith("Territoire;Type;Intitulé")
    assert "'=HYPERLINK" in lignes[1] and "30000,00" in lignes[1]
    assert consultant.email not in reponse.content.decode("utf-8-sig")


@pytest.mark.parametrize("format_", ["xlsx", "ods"])
def test_l_export_tableur(client, equipe_nationale, mission_cvl, mission_bretagne, format_):
    client.force_login(equipe_nationale)
    reponse = client.get(reverse("ingenierie:export_missions", args=[format_]))
    donnees = tablib.Dataset().load(reponse.content, format=format_)
    assert len(donnees) == 2 and donnees[0][donnees.headers.index("Montant HT (€)")] == 30000


def test_un_format_inconnu_est_introuvable(client, equipe_nationale):
    client.force_login(equipe_nationale)
    assert client.get(reverse("ingenierie:export_missions", args=["pdf"])).status_code == 404
