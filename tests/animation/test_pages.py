"""The events' pages: who sees what (network content is never public: 404), who may run an event (403), one-click
registration with its messages, the calendar file, the export and attendance, in a bounded number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ti.animation.models import Inscription, StatutInscription
from ti.comptes.models import Role

from ..factories import utilisateur_avec
from .conftest import creer_evenement


@pytest.fixture
def evenements(equipe_nationale, cvl, bretagne):
    return {
        "reseau": creer_evenement(equipe_nationale, titre="Webinaire du réseau national"),
        "public": creer_evenement(equipe_nationale, titre="Rencontre nationale ouverte", public=True),
        "cvl": creer_evenement(equipe_nationale, titre="Atelier Centre-Val de Loire", region=cvl),
        "bretagne": creer_evenement(equipe_nationale, titre="Atelier breton", region=bretagne),
    }


def _visibles(client, evenements) -> set[str]:
    return {nom for nom, e in evenements.items() if client.get(e.get_absolute_url()).status_code == 200}


@pytest.mark.parametrize(
    ("qui", "attendus"),
    [
        ("anonyme", {"public"}),
        ("porteur", {"public"}),
        ("consultant", {"public"}),
        ("chef_cvl", {"reseau", "public", "cvl"}),
        ("binome_bretagne", {"reseau", "public", "bretagne"}),
        ("instructeur_cvl", {"reseau", "public", "cvl"}),
        ("equipe_nationale", {"reseau", "public", "cvl", "bretagne"}),
    ],
)
def test_qui_voit_quels_evenements(
    client, evenements, territoire_cvl, territoire_bretagne, instructeur_cvl, qui, attendus
):
    personnes = {
        "porteur": lambda: utilisateur_avec(Role.PORTEUR, siret="91234567500017"),
        "consultant": lambda: utilisateur_avec(Role.CONSULTANT, organisme="Cabinet"),
        "chef_cvl": lambda: utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl),
        "binome_bretagne": lambda: utilisateur_avec(Role.BINOME, territoire=territoire_bretagne),
        "instructeur_cvl": lambda: instructeur_cvl,
        "equipe_nationale": lambda: evenements["reseau"].organisateur,
    }
    if qui != "anonyme":
        client.force_login(personnes[qui]())
    assert _visibles(client, evenements) == attendus  # the others are 404, as if they did not exist
    programme = client.get(reverse("animation:programme")).content.decode()
    for nom, evenement in evenements.items():
        assert (evenement.titre in programme) == (nom in attendus)
    hors = next((e for nom, e in evenements.items() if nom not in attendus), None)
    if hors is not None:
        assert client.get(reverse("animation:agenda", args=[hors.pk])).status_code == 404


def test_inscription_en_un_clic_puis_liste_d_attente(client, equipe_nationale, territoire_cvl):
    evenement = creer_evenement(equipe_nationale, capacite=1)
    premier, second = (utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl) for _ in range(2))
    url = reverse("animation:inscrire", args=[evenement.pk])

    client.force_login(premier)
    reponse = client.post(url, follow=True)
    assert "Vous êtes inscrit." in reponse.content.decode()
    assert "Annuler mon inscription" in reponse.content.decode()
    reponse = client.post(url, follow=True)
    assert "Vous êtes déjà inscrit à « Atelier décarbonation »." in reponse.content.decode()

    client.force_login(second)
    page = client.get(evenement.get_absolute_url()).content.decode()
    assert "M’inscrire sur la liste d’attente" in page
    reponse = client.post(url, follow=True)
    assert "L’événement est complet : vous êtes sur la liste d’attente." in reponse.content.decode()
    assert list(Inscription.objects.order_by("pk").values_list("statut", flat=True)) == ["inscrit", "attente"]

    reponse = client.post(reverse("animation:annuler", args=[evenement.pk]), follow=True)
    assert "Votre inscription est annulée." in reponse.content.decode()


def test_inscription_close_expliquee(client, equipe_nationale, chef_projet_cvl):
    evenement = creer_evenement(equipe_nationale, cloture_inscriptions=timezone.now() - timedelta(hours=1))
    client.force_login(chef_projet_cvl)
    assert "Les inscriptions sont closes." in client.get(evenement.get_absolute_url()).content.decode()
    reponse = client.post(reverse("animation:inscrire", args=[evenement.pk]))
    assert [str(m) for m in get_messages(reponse.wsgi_request)][0].startswith("Les inscriptions à « Atelier")
    assert not Inscription.objects.exists()


def test_inscription_refusee_hors_reseau_et_hors_perimetre(client, equipe_nationale, bretagne, chef_projet_cvl):
    reseau = creer_evenement(equipe_nationale)
    public = creer_evenement(equipe_nationale, public=True)
    breton = creer_evenement(equipe_nationale, region=bretagne)
    assert client.post(reverse("animation:inscrire", args=[public.pk])).status_code == 302  # to the login page
    client.force_login(utilisateur_avec(Role.PORTEUR, siret="91234567500017"))
    assert client.post(reverse("animation:inscrire", args=[reseau.pk])).status_code == 404
    assert client.post(reverse("animation:inscrire", args=[public.pk])).status_code == 403  # network only
    client.force_login(chef_projet_cvl)
    assert client.post(reverse("animation:inscrire", args=[breton.pk])).status_code == 404
    assert not Inscription.objects.exists()


def test_fichier_icalendar(client, equipe_nationale):
    evenement = creer_evenement(equipe_nationale, public=True, lien="https://visio.example/atelier")
    reponse = client.get(reverse("animation:agenda", args=[evenement.pk]))
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    vevent = Calendar.from_ical(reponse.content).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Atelier thématique : Atelier décarbonation"
    assert vevent.decoded("DTSTART") == evenement.debut.replace(microsecond=0)
    assert vevent.decoded("DTEND") == evenement.fin.replace(microsecond=0)
    assert str(vevent["LOCATION"]) == "Orléans"
    assert str(vevent["UID"]) == f"evenement-{evenement.pk}@territoires-industrie.anct.gouv.fr"
    assert "https://visio.example/atelier" in str(vevent["DESCRIPTION"])


def test_export_et_presences_reserves_aux_organisateurs(
    client, passe_avec_inscrits, chef_projet_cvl, instructeur_cvl, instructeur_bretagne, equipe_nationale
):
    evenement = passe_avec_inscrits
    export = reverse("animation:export_inscriptions", args=[evenement.pk])
    presences = reverse("animation:presences", args=[evenement.pk])
    for personne in (chef_projet_cvl, instructeur_cvl):
        client.force_login(personne)
        assert client.get(export).status_code == 403
        assert client.post(presences, {"presents": []}).status_code == 403
        assert "Inscriptions et présences" not in client.get(evenement.get_absolute_url()).content.decode()
    client.force_login(instructeur_bretagne)
    assert client.get(export).status_code == 404  # another région's event does not exist for him
    assert not Inscription.objects.filter(present__isnull=False).exists()

    for organisateur in (evenement.organisateur, equipe_nationale):
        client.force_login(organisateur)
        reponse = client.get(export)
        assert reponse.status_code == 200
        lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
        assert lignes[0] == ["Nom", "Courriel", "Organisation", "Statut", "Depuis", "Présent"]
        assert sorted(ligne[3] for ligne in lignes[1:]) == ["En liste d’attente", "Inscrit", "Inscrit", "Inscrit"]


def test_l_organisateur_note_les_presences(client, passe_avec_inscrits):
    evenement = passe_avec_inscrits
    inscrits = list(evenement.inscriptions.filter(statut=StatutInscription.INSCRIT).order_by("pk"))
    client.force_login(evenement.organisateur)
    reponse = client.post(
        reverse("animation:presences", args=[evenement.pk]), {"presents": [inscrits[0].pk, inscrits[2].pk]}, follow=True
    )
    assert "Présences enregistrées : 2 présent(s)." in reponse.content.decode()
    assert [i.present for i in evenement.inscriptions.filter(statut="inscrit").order_by("pk")] == [True, False, True]

    reponse = client.post(reverse("animation:presences", args=[evenement.pk]), {"presents": ["abc"]}, follow=True)
    assert "La liste des présences envoyée est illisible" in reponse.content.decode()


def test_pages_en_nombre_de_requetes_borne(
    client, equipe_nationale, territoire_cvl, passe_avec_inscrits, django_assert_max_num_queries
):
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)
    for i in range(15):
        evenement = creer_evenement(equipe_nationale, titre=f"Atelier {i}", capacite=3)
        for _ in range(2):
            Inscription.objects.create(
                evenement=evenement,
                participant=utilisateur_avec(Role.BINOME, territoire=territoire_cvl),
                statut=StatutInscription.INSCRIT,
            )
    client.force_login(chef)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("animation:programme")).content.decode()
    assert page.count("fr-card__title") == 15  # the past event is not there
    client.force_login(passe_avec_inscrits.organisateur)
    with django_assert_max_num_queries(12):
        page = client.get(passe_avec_inscrits.get_absolute_url()).content.decode()
    assert page.count('name="presents"') == 3


def test_liens_depuis_le_menu_et_mon_espace(client, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    assert reverse("animation:programme") in client.get(reverse("accueil")).content.decode()
    espace = client.get(reverse("comptes:mon_espace")).content.decode()
    assert reverse("animation:fils") in espace and reverse("animation:programme") in espace
