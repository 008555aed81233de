"""The demo missions on the real COG and Temps II territories (`manage.py charger_demo`): the seed's Centre-Val de
Loire figures come out of the records, and the demo consultant has a mission in progress."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.territoires.test_demo import TEMPS2
from tests.territoires.test_import import vider_la_base
from ti.comptes.demo import DOMAINE, creer_utilisateurs_demo
from ti.comptes.models import Utilisateur
from ti.ingenierie.demo import CONSULTANT, MISSIONS, charger_missions_demo, phrase_du_consultant
from ti.ingenierie.models import PHASES_PAR_DEFAUT, Mission, StatutMission
from ti.ingenierie.resultats import mobilise_par_mission
from ti.ingenierie.selectors import phrase_missions_region
from ti.projets.demo import charger_projets_demo
from ti.referentiel.models import Region
from ti.territoires.demo import charger_territoires_cvl
from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase


@pytest.fixture(scope="module")
def cog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
        importer_territoires(phase=Phase.TEMPS_2, fichier=TEMPS2)
    yield
    with django_db_blocker.unblock():
        vider_la_base()


pytestmark = pytest.mark.usefixtures("cog")


@pytest.fixture
def demo(db):
    charger_territoires_cvl()
    creer_utilisateurs_demo()
    charger_projets_demo()
    return charger_missions_demo()


def test_la_region_centre_val_de_loire_dit_les_missions_du_communique(demo, client):
    assert phrase_missions_region(Region.objects.get(code="24")) == (
        "2 missions choc industriel en 2022 sur Châteauroux – Buzançais – Argenton et Est du Loiret ; "
        "3 missions rebond industriel depuis 2023 sur Berry Sologne, Pays de Dreux – Portes Euréliennes "
        "d’Île-de-France et Sologne Val de Cher ; 6 M€ mobilisés."
    )
    page = client.get(reverse("territoires:region", args=["24"])).content.decode()
    assert "2 missions choc industriel en 2022" in page and "6 M€ mobilisés" in page


def test_la_consultante_de_demonstration_a_une_mission_en_cours(demo, client):
    consultante = Utilisateur.objects.get(email=CONSULTANT)
    mission = Mission.objects.get(consultants=consultante)
    assert mission.statut == StatutMission.EN_COURS and mission.territoire.nom == "Sologne Val de Cher"

    client.force_login(consultante)
    assert client.get(reverse("ingenierie:tableau")).context["missions"] == [mission]
    assert list(mission.phases.values_list("nom", flat=True)) == list(PHASES_PAR_DEFAUT)
    assert mission.intitule in phrase_du_consultant()


def test_chaque_mission_de_demonstration_a_ses_fiches_et_sa_region(demo):
    for mission in Mission.objects.annotate(mobilise=mobilise_par_mission()):
        assert mission.region.code == "24" and mission.projets.exists() and mission.mobilise > 0


def test_un_second_chargement_ne_cree_rien(demo):
    assert len(demo) == len(MISSIONS) == Mission.objects.count()
    assert charger_missions_demo() == []
    assert Mission.objects.count() == len(MISSIONS)


def test_la_cheffe_de_projet_de_l_est_du_loiret_peut_demander(demo, client):
    cheffe = Utilisateur.objects.get(email=f"chef-projet-est-loiret@{DOMAINE}")
    territoire = cheffe.habilitations.get().territoire
    client.force_login(cheffe)
    reponse = client.get(reverse("ingenierie:tableau"))
    lien = reverse("ingenierie:nouvelle_demande", args=[territoire.identifiant])
    assert territoire.nom == "Est du Loiret" and lien in reponse.content.decode()
    assert client.get(lien).status_code == 200
