"""The chef de projet registers to a workshop and takes its calendar file, then asks the network a question that a
binôme of another région answers; the chef finds the answer from his notifications."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from ti.animation.models import Evenement, Inscription, TypeEvenement
from ti.comptes.models import Role
from ti.core.travaux import executer_en_attente

from .test_parcours_plan_action import se_connecter


@pytest.fixture
def reseau(transactional_db, django_db_serialized_rollback):
    loiret = DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=RegionFactory(code="53", nom="Bretagne"))
    est_du_loiret = TerritoireFactory(nom="Est du Loiret", communes=[CommuneFactory(code="45208", departement=loiret)])
    lorient = TerritoireFactory(nom="Lorient", communes=[CommuneFactory(code="56121", departement=morbihan)])
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=est_du_loiret)
    binome = utilisateur_avec(Role.BINOME, territoire=lorient)
    debut = timezone.now() + timedelta(days=12)
    Evenement.objects.create(
        titre="Décarbonation des sites industriels",
        type=TypeEvenement.ATELIER,
        debut=debut,
        fin=debut + timedelta(hours=3),
        lieu="Orléans",
        capacite=20,
        cloture_inscriptions=debut - timedelta(days=3),
        organisateur=utilisateur_avec(Role.EQUIPE_NATIONALE),
    )
    return chef, binome


def test_inscription_agenda_question_reponse_notification(page, live_server, reseau):
    chef, binome = reseau
    se_connecter(page, live_server, chef.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name="Décarbonation des sites industriels").click()
    page.get_by_role("button", name="M’inscrire").click()
    expect(page.get_by_text("Vous êtes inscrit. Ajoutez l’événement à votre agenda")).to_be_visible()
    assert Inscription.objects.get().participant == chef
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    calendrier = Calendar.from_ical(Path(telechargement.value.path()).read_bytes())
    assert "Décarbonation des sites industriels" in str(calendrier.walk("VEVENT")[0]["SUMMARY"])

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name=re.compile("Échanges du réseau")).first.click()
    page.get_by_role("link", name="Poser une question").click()
    page.get_by_label("Thème").select_option(label="Décarbonation")
    page.get_by_label("Votre question, en une ligne").fill("Qui a financé un audit énergétique ?")
    page.get_by_label("Précisez le contexte").fill("Pour une fonderie de 80 salariés.")
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui a financé un audit énergétique ?")
    page.get_by_role("button", name="Se déconnecter").click()

    se_connecter(page, live_server, binome.email)
    page.goto(live_server.url + "/reseau/echanges/")
    page.get_by_role("link", name="Qui a financé un audit énergétique ?").click()
    page.get_by_label("Votre réponse").fill("La Région Bretagne, à 50 %.")
    page.get_by_role("button", name="Publier ma réponse").click()
    expect(page.get_by_text("Votre réponse est publiée")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    executer_en_attente()

    se_connecter(page, live_server, chef.email)
    page.get_by_role("link", name="Notifications 1 non lue").click()
    page.get_by_role("link", name=re.compile("a répondu à votre question")).click()
    expect(page.get_by_text("La Région Bretagne, à 50 %.")).to_be_visible()
