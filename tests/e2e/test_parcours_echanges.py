"""The chef de projet asks the network a question from the home page; a binôme of another territory (another
région) finds it, answers and mentions him; the chef sees the badge of his notifications and reads the answer."""

import re

import pytest
from playwright.sync_api import expect

from ti.animation.models import Fil, Reponse
from ti.core.travaux import executer_en_attente

from .test_parcours_animation import creer_reseau
from .test_parcours_plan_action import se_connecter, se_deconnecter


@pytest.fixture
def reseau(transactional_db, django_db_serialized_rollback):
    chef, binome, _ = creer_reseau()
    return chef, binome


def test_question_reponse_notification(page, live_server, reseau):
    chef, binome = reseau
    se_connecter(page, live_server, chef.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name=re.compile("Échanges du réseau")).first.click()
    page.get_by_role("link", name="Poser une question").click()
    page.get_by_label("Thème").select_option(label="Décarbonation")
    expect(page.get_by_label("Région")).to_have_value("24")  # his région, proposed
    page.get_by_label("Votre question, en une ligne").fill("Qui a financé un audit énergétique ?")
    page.get_by_label("Précisez le contexte").fill("Pour une **fonderie** de 80 salariés.")
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui a financé un audit énergétique ?")
    expect(page.locator("strong", has_text="fonderie")).to_be_visible()  # Markdown rendered
    expect(page.get_by_role("button", name="Ne plus suivre ce fil")).to_be_visible()
    se_deconnecter(page)

    se_connecter(page, live_server, binome.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name=re.compile("Échanges du réseau")).first.click()
    page.get_by_label("Région").select_option(label="Centre-Val de Loire")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Qui a financé un audit énergétique ?").click()
    poignee = "@" + chef.email.split("@")[0]
    page.get_by_label("Votre réponse").fill(f"{poignee} la Région Bretagne, à 50 %.")
    page.get_by_role("button", name="Publier ma réponse").click()
    expect(page.get_by_text("Votre réponse est publiée")).to_be_visible()
    assert Reponse.objects.get().fil == Fil.objects.get()
    se_deconnecter(page)
    executer_en_attente()  # the worker's turn: the notice, then its e-mail

    se_connecter(page, live_server, chef.email)
    page.get_by_role("link", name="Notifications 1 non lue").click()
    page.get_by_role("link", name=re.compile("Yann Le Gall vous a mentionné")).click()
    expect(page.get_by_text("la Région Bretagne, à 50 %.")).to_be_visible()
