"""The phases of a mission: the default four at the order (or those the national team names), edited afterwards;
each deliverable belongs to one; the mission page shows each phase with its deliverables and its state."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.ingenierie.conftest import MissionFactory
from tests.ingenierie.test_budget import COMMANDE, demande_acceptee
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.ingenierie import actions
from ti.ingenierie.actions_phases import definir_phases
from ti.ingenierie.models import PHASES_PAR_DEFAUT, Budget, Livrable, StatutLivrable

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def noms(mission) -> list[str]:
    return list(mission.phases.values_list("nom", flat=True))


def lignes(mission, **changements) -> list[dict]:
    return [{"id": p.pk, "nom": changements.get(p.nom, p.nom), "echeance": p.echeance} for p in mission.phases.all()]


def livrable_dans(phase, statut=StatutLivrable.DEPOSE) -> Livrable:
    return Livrable.objects.create(
        mission=phase.mission,
        phase=phase,
        titre=phase.nom,
        fichier="x.pdf",
        nom="x.pdf",
        type_mime="application/pdf",
        taille=10,
        depose_par=phase.mission.consultants.first(),
        statut=statut,
    )


def test_la_commande_donne_les_phases_par_defaut_ou_celles_nommees(territoire_cvl, equipe_nationale):
    Budget.objects.create(annee=2026, montant_ht=1000000)
    mission = actions.commander_mission(demande=demande_acceptee(territoire_cvl), par=equipe_nationale, **COMMANDE)
    assert noms(mission) == list(PHASES_PAR_DEFAUT)

    autre = actions.commander_mission(
        demande=demande_acceptee(territoire_cvl), par=equipe_nationale, phases=["Cadrage", "Étude"], **COMMANDE
    )
    assert noms(autre) == ["Cadrage", "Étude"]


def test_l_equipe_nationale_renomme_ordonne_ajoute_et_retire(client, equipe_nationale, mission_cvl):
    diagnostic, etude, financements, feuille = mission_cvl.phases.all()
    client.force_login(equipe_nationale)
    donnees = {
        "phases-TOTAL_FORMS": 5,
        "phases-INITIAL_FORMS": 4,
        "phases-0-id": etude.pk,
        "phases-0-nom": "Étude d’impact sur l’emploi",
        "phases-0-echeance": "2027-02-28",
        "phases-1-id": diagnostic.pk,
        "phases-1-nom": "Diagnostic",
        "phases-2-id": financements.pk,
        "phases-2-nom": "Identification des financements",
        "phases-2-retirer": "on",
        "phases-3-id": feuille.pk,
        "phases-3-nom": "Feuille de route",
        "phases-4-nom": "Restitution aux élus",
    }
    reponse = client.post(reverse("ingenierie:phases", args=[mission_cvl.pk]), donnees)
    assert reponse.status_code == 302
    assert noms(mission_cvl) == [
        "Étude d’impact sur l’emploi",
        "Diagnostic",
        "Feuille de route",
        "Restitution aux élus",
    ]
    assert mission_cvl.phases.get(pk=etude.pk).echeance == date(2027, 2, 28)
    assert Journal.objects.filter(action="ingenierie.phases_modifiees").count() == 1


def test_une_phase_qui_a_des_livrables_ne_se_retire_pas(equipe_nationale, mission_cvl):
    diagnostic = mission_cvl.phases.first()
    livrable_dans(diagnostic)
    with pytest.raises(Refus, match="« Diagnostic » a des livrables"):
        definir_phases(mission=mission_cvl, par=equipe_nationale, phases=lignes(mission_cvl)[1:])
    assert noms(mission_cvl) == list(PHASES_PAR_DEFAUT)


@pytest.mark.parametrize(
    ("phases", "message"),
    [([], "au moins une phase"), ([{"id": None, "nom": "  ", "echeance": None}], "porte un nom")],
)
def test_des_phases_invalides_sont_refusees(equipe_nationale, mission_cvl, phases, message):
    with pytest.raises(Refus, match=message):
        definir_phases(mission=mission_cvl, par=equipe_nationale, phases=phases)
    assert noms(mission_cvl) == list(PHASES_PAR_DEFAUT)


def test_la_phase_d_une_autre_mission_est_refusee(equipe_nationale, mission_cvl, mission_bretagne):
    etrangere = {"id": mission_bretagne.phases.first().pk, "nom": "Diagnostic", "echeance": None}
    with pytest.raises(Refus, match="rechargez la page"):
        definir_phases(mission=mission_cvl, par=equipe_nationale, phases=[etrangere])


def test_seule_l_equipe_nationale_modifie_les_phases(client, chef_projet_cvl, consultant, mission_cvl):
    for personne in (chef_projet_cvl, consultant):
        with pytest.raises(PermissionDenied):
            definir_phases(mission=mission_cvl, par=personne, phases=lignes(mission_cvl))
        client.force_login(personne)
        assert client.get(reverse("ingenierie:phases", args=[mission_cvl.pk])).status_code == 403


def test_hors_perimetre_les_phases_sont_404(client, chef_projet_cvl, mission_bretagne):
    client.force_login(chef_projet_cvl)
    assert client.get(reverse("ingenierie:phases", args=[mission_bretagne.pk])).status_code == 404


def test_un_livrable_est_depose_dans_une_phase_de_sa_mission(client, consultant, mission_cvl, mission_bretagne):
    fichier = SimpleUploadedFile("diagnostic.pdf", PDF)
    with pytest.raises(Refus, match="Indiquez la phase"):
        actions.deposer_livrable(mission=mission_cvl, par=consultant, fichier=fichier, titre="Diagnostic")
    with pytest.raises(Refus, match="n’appartient pas à la mission"):
        actions.deposer_livrable(
            mission=mission_cvl, par=consultant, fichier=fichier, titre="D", phase=mission_bretagne.phases.first()
        )
    client.force_login(consultant)
    url = reverse("ingenierie:deposer_livrable", args=[mission_cvl.pk])
    client.post(url, {"titre": "Diagnostic", "fichier": SimpleUploadedFile("d.pdf", PDF)})  # no phase chosen
    assert not Livrable.objects.exists()
    etude = mission_cvl.phases.all()[1]
    client.post(url, {"titre": "Étude", "fichier": SimpleUploadedFile("e.pdf", PDF), "phase": etude.pk})
    assert Livrable.objects.get().phase == etude


def test_la_page_montre_l_etat_de_chaque_phase(client, chef_projet_cvl, mission_cvl):
    diagnostic, etude, financements, feuille = mission_cvl.phases.all()
    hier = date.today() - timedelta(days=1)
    for phase, echeance in ((diagnostic, hier), (etude, hier), (financements, hier)):
        phase.echeance = echeance
        phase.save()
    livrable_dans(diagnostic, StatutLivrable.VALIDE)
    livrable_dans(etude)
    client.force_login(chef_projet_cvl)
    phases = client.get(mission_cvl.get_absolute_url()).context["phases"]
    assert [(ligne["phase"].nom, ligne["etat"]) for ligne in phases] == [
        ("Diagnostic", "Livrable validé"),
        ("Étude d’impact", "Livrable à valider"),
        ("Identification des financements", "En retard"),
        ("Feuille de route", "À venir"),
    ]


def test_la_page_des_phases_en_requetes_bornees(
    client, equipe_nationale, territoire_cvl, django_assert_max_num_queries
):
    mission = MissionFactory(territoire=territoire_cvl, phases=[f"Phase {n}" for n in range(12)])
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("ingenierie:phases", args=[mission.pk])).status_code == 200
