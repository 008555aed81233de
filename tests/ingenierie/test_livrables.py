"""Deliverables: uploaded by the mission's consultant (checked, scanned), validated or sent back by the territory."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ti.core.etats import Refus
from ti.core.models import Journal
from ti.ingenierie import actions
from ti.ingenierie.models import Livrable, StatutLivrable
from ti.notifications.models import Notification, Type

from ..core.faux_antivirus import CHEMIN, MARQUE

PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def deposer(client, mission, nom="diagnostic.pdf", contenu=PDF, titre="Diagnostic"):
    return client.post(
        reverse("ingenierie:deposer_livrable", args=[mission.pk]),
        {"titre": titre, "fichier": SimpleUploadedFile(nom, contenu), "phase": mission.phases.first().pk},
    )


def examiner(client, livrable, **donnees):
    return client.post(reverse("ingenierie:examiner_livrable", args=[livrable.mission_id, livrable.pk]), donnees)


def test_le_consultant_depose_le_territoire_valide(client, consultant, chef_projet_cvl, mission_cvl):
    client.force_login(consultant)
    assert deposer(client, mission_cvl).status_code == 302
    livrable = Livrable.objects.get()
    assert (livrable.type_mime, livrable.depose_par, livrable.statut) == ("application/pdf", consultant, "depose")
    assert Journal.objects.filter(action="ingenierie.livrable_depose").exists()

    client.force_login(chef_projet_cvl)
    page = client.get(mission_cvl.get_absolute_url()).content.decode()
    assert livrable.get_absolute_url() in page
    assert b"".join(client.get(livrable.get_absolute_url()).streaming_content) == PDF
    assert examiner(client, livrable, statut="valide").status_code == 302
    livrable.refresh_from_db()
    assert livrable.statut == StatutLivrable.VALIDE


def test_un_livrable_renvoye_porte_un_commentaire(client, consultant, chef_projet_cvl, mission_cvl):
    client.force_login(consultant)
    deposer(client, mission_cvl)
    livrable = Livrable.objects.get()
    client.force_login(chef_projet_cvl)

    reponse = examiner(client, livrable, statut="renvoye", commentaire="")
    assert "un livrable renvoyé porte un commentaire" in client.get(reponse["Location"]).content.decode()
    livrable.refresh_from_db()
    assert livrable.statut == StatutLivrable.DEPOSE

    examiner(client, livrable, statut="renvoye", commentaire="Chiffrer les financements")
    livrable.refresh_from_db()
    assert livrable.statut == StatutLivrable.RENVOYE
    assert Journal.objects.get(action="ingenierie.statut_livrable").motif == "Chiffrer les financements"
    assert examiner(client, livrable, statut="valide").status_code == 302  # a sent-back version is closed
    livrable.refresh_from_db()
    assert livrable.statut == StatutLivrable.RENVOYE


def test_un_fichier_refuse_n_est_pas_garde(client, consultant, mission_cvl):
    client.force_login(consultant)
    reponse = deposer(client, mission_cvl, nom="macro.exe", contenu=b"MZ" + b"0" * 20)
    assert "n’est pas accepté" in client.get(reponse["Location"]).content.decode()
    assert not Livrable.objects.exists()


def test_un_livrable_infecte_n_est_pas_servi(client, settings, consultant, chef_projet_cvl, mission_cvl):
    settings.ANTIVIRUS = CHEMIN
    client.force_login(consultant)
    deposer(client, mission_cvl, contenu=PDF + MARQUE)
    livrable = Livrable.objects.get()
    assert livrable.analyse == "quarantaine"
    client.force_login(chef_projet_cvl)
    assert client.get(livrable.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "depot", "examen"),
    [
        ("chef_projet_cvl", 403, 302),
        ("binome_cvl", 403, 302),
        ("referent_region_cvl", 403, 403),
        ("equipe_nationale", 403, 403),
        ("instructeur_bretagne", 404, 404),
    ],
)
def test_qui_depose_et_qui_valide(client, request, consultant, mission_cvl, role, depot, examen):
    client.force_login(consultant)
    deposer(client, mission_cvl)
    livrable = Livrable.objects.get()

    client.force_login(request.getfixturevalue(role))
    assert deposer(client, mission_cvl, titre="Autre").status_code == depot
    assert examiner(client, livrable, statut="valide").status_code == examen
    assert Livrable.objects.count() == 1


def test_un_autre_consultant_ne_depose_rien(client, consultant, mission_bretagne):
    client.force_login(consultant)
    assert deposer(client, mission_bretagne).status_code == 404
    assert not Livrable.objects.exists()


def test_la_page_de_la_mission_avec_ses_livrables_en_peu_de_requetes(
    client, consultant, chef_projet_cvl, mission_cvl, django_assert_max_num_queries
):
    client.force_login(consultant)
    for numero in range(4):
        deposer(client, mission_cvl, titre=f"Livrable {numero}")
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(14):
        reponse = client.get(mission_cvl.get_absolute_url())
    assert reponse.content.decode().count("Enregistrer la décision") == 4


def evaluer(client, mission, **donnees):
    return client.post(mission.get_absolute_url(), {"satisfaction": "4", "evaluation": "Utile.", **donnees})


def terminer(client, mission):
    return client.post(mission.get_absolute_url(), {"statut": "terminee"})


def test_la_mission_ne_se_termine_qu_apres_le_dernier_livrable_valide_et_l_evaluation(
    client, consultant, chef_projet_cvl, equipe_nationale, mission_cvl
):
    client.force_login(equipe_nationale)
    assert "dernier livrable validé" in terminer(client, mission_cvl).content.decode()

    client.force_login(consultant)
    deposer(client, mission_cvl)
    client.force_login(equipe_nationale)
    assert "attend encore la décision" in terminer(client, mission_cvl).content.decode()

    client.force_login(chef_projet_cvl)
    examiner(client, Livrable.objects.get(), statut="valide")
    client.force_login(equipe_nationale)
    assert "évaluée par le territoire" in terminer(client, mission_cvl).content.decode()

    client.force_login(chef_projet_cvl)
    assert evaluer(client, mission_cvl, evaluation="Trois projets sortis, deux financés.").status_code == 302
    client.force_login(equipe_nationale)
    assert terminer(client, mission_cvl).status_code == 302
    mission_cvl.refresh_from_db()
    assert (mission_cvl.statut, mission_cvl.satisfaction) == ("terminee", 4)
    assert Journal.objects.get(action="ingenierie.mission_evaluee").details == {"satisfaction": 4}

    client.force_login(chef_projet_cvl)
    assert evaluer(client, mission_cvl, satisfaction="1").status_code == 400
    with pytest.raises(Refus, match="Une mission close ne s’évalue plus"):
        actions.evaluer_mission(mission=mission_cvl, par=chef_projet_cvl, satisfaction=1, evaluation="")
    mission_cvl.refresh_from_db()
    assert mission_cvl.satisfaction == 4


@pytest.mark.parametrize(("role", "attendu"), [("binome_cvl", 302), ("consultant", 403), ("referent_region_cvl", 403)])
def test_qui_evalue(client, request, mission_cvl, role, attendu):
    client.force_login(request.getfixturevalue(role))
    assert evaluer(client, mission_cvl).status_code == attendu


def test_une_note_hors_echelle_est_refusee(client, chef_projet_cvl, mission_cvl):
    client.force_login(chef_projet_cvl)
    assert evaluer(client, mission_cvl, satisfaction="9").status_code == 400
    mission_cvl.refresh_from_db()
    assert mission_cvl.satisfaction is None


def test_le_territoire_est_prevenu_d_un_livrable_depose(
    client, consultant, chef_projet_cvl, binome_cvl, mission_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    client.force_login(consultant)
    with django_capture_on_commit_callbacks(execute=True):
        deposer(client, mission_cvl)
    executer_travaux()

    notifications = Notification.objects.filter(type=Type.LIVRABLE_INGENIERIE)
    assert set(notifications.values_list("destinataire", flat=True)) == {chef_projet_cvl.pk, binome_cvl.pk}
    assert notifications.first().lien == mission_cvl.get_absolute_url()
