"""The network's demo on the real territories: the demo chef de projet finds an upcoming workshop, registers, asks a
question, and the demo binôme of another territory answers it (the issue's « done means »)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.territoires.test_demo import TEMPS2
from tests.territoires.test_import import vider_la_base
from ti.animation.demo import EVENEMENTS, FILS, charger_animation_demo
from ti.animation.models import Evenement, Fil, Inscription, Reponse, TypeEvenement
from ti.comptes.demo import DOMAINE, creer_utilisateurs_demo
from ti.comptes.models import Utilisateur
from ti.notifications.models import Notification
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
    return charger_animation_demo()


def compte(local: str) -> Utilisateur:
    return Utilisateur.objects.get(email=f"{local}@{DOMAINE}")


def test_inscription_question_reponse(demo, client, executer_travaux, django_capture_on_commit_callbacks):
    evenements, (email, _, description) = demo
    assert len(evenements) == len(EVENEMENTS) and email == f"binome-chartres@{DOMAINE}"
    assert description == "Binôme élu / industriel, Chartres Métropole"
    chef, binome = compte("chef-projet-est-loiret"), compte("binome-chartres")

    client.force_login(chef)
    programme = client.get(reverse("animation:programme")).content.decode()
    atelier = Evenement.objects.get(type=TypeEvenement.ATELIER)
    assert atelier.titre in programme and atelier.region.code == "24"
    client.post(reverse("animation:inscrire", args=[atelier.pk]))
    assert Inscription.objects.get(participant=chef).statut == "inscrit"

    client.post(
        reverse("animation:nouveau_fil"),
        {"theme": "decarbonation", "titre": "Un retour sur les audits énergétiques ?", "texte": "Merci !"},
    )
    question = Fil.objects.get(auteur=chef)

    client.force_login(binome)
    assert question.titre in client.get(reverse("animation:fils")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(question.get_absolute_url(), {"texte": "Oui : la CCI les finance à moitié."})
    executer_travaux()
    assert Reponse.objects.filter(fil=question, auteur=binome).exists()
    assert Notification.objects.get(destinataire=chef).lien.startswith(question.get_absolute_url() + "#reponse-")


def test_la_demo_se_recharge_sans_doublon(demo):
    comptes = Utilisateur.objects.count()
    assert charger_animation_demo()[0] == []
    assert Evenement.objects.count() == len(EVENEMENTS) and Fil.objects.count() == len(FILS)
    assert Utilisateur.objects.count() == comptes
    assert Evenement.objects.filter(public=True).count() == 1  # the rest is the network's


def test_les_fils_de_la_demo(demo, client):
    client.force_login(compte("chef-projet-est-loiret"))
    page = client.get(reverse("animation:fils"), {"region": "24"}).content.decode()
    assert "Audit énergétique d’une fonderie : quel financement ?" in page
    assert "Bienvenue dans l’espace d’échange du réseau" not in page  # the whole network's, not the région's
    accueil = Fil.objects.get(titre="Bienvenue dans l’espace d’échange du réseau")
    page = client.get(accueil.get_absolute_url()).content.decode()
    assert accueil.verrouille and "il n’accepte plus de réponses" in page and "<li>une question par fil" in page
