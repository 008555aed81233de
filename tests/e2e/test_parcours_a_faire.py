"""Each demo role finds, from the home page, what awaits it on « À faire » and reaches the place to act in one click:
the porteur the correction the instructor asked for, the ADEME the opinion expected from it, the binôme the plan to
validate (with the unread badge of the notifications about them)."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from playwright.sync_api import expect

from ti.comptes.demo import DOMAINE, MOT_DE_PASSE
from ti.core.travaux import executer_en_attente
from ti.espace.demo import DEMANDE_DE_CORRECTION, EN_INSTRUCTION, INCOMPLET
from ti.financements.models import Avis, Dossier
from ti.projets.models import PlanAction, StatutPlan


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    """The real geography, the Temps II territories and the demo, as `make run` loads them.

    The content types' cache of the process is emptied first: a transactional test run before may have flushed the
    table, and the demo's journal rows must not point to content types that no longer exist."""
    ContentType.objects.clear_cache()
    settings.MEDIA_ROOT = tmp_path  # the pieces of the demo's dossiers
    call_command("import_cog", "data/cog-2026", verbosity=0)
    call_command(
        "import_territoires", "--phase", "2", "data/territoires-industrie/temps2-communes-2026.csv", verbosity=0
    )
    call_command("charger_demo", stdout=io.StringIO())


def se_connecter_depuis_l_accueil(page, live_server, compte: str):
    """From the home page, the login link, the demo password: every demo account lands on « À faire »."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse électronique").fill(f"{compte}@{DOMAINE}")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("À faire")
    expect(page).to_have_url(live_server.url + "/a-faire/")


def se_deconnecter(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_chaque_role_de_la_demo_trouve_depuis_l_accueil_ce_qui_l_attend(page, live_server, demo):
    executer_en_attente()  # the demo's notifications, as the worker of `make run` writes them

    # The porteur: the instructor's request, on top, and the dossier's form one click away.
    incomplet = Dossier.objects.get(intitule=INCOMPLET)
    se_connecter_depuis_l_accueil(page, live_server, "porteur")
    section = page.get_by_role("region", name=re.compile("Compléments demandés par l’instruction"))
    expect(section.get_by_text(DEMANDE_DE_CORRECTION)).to_be_visible()
    section.get_by_role("link", name=f"{incomplet.reference} — {INCOMPLET}").click()
    expect(page).to_have_url(re.compile(rf"/financements/dossiers/{incomplet.reference}/modifier/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(incomplet.reference)
    se_deconnecter(page)

    # The ADEME: the opinion expected from it; its menu has « Avis à rendre » too.
    avis = Avis.objects.get(dossier__intitule=EN_INSTRUCTION, type=Avis.Type.ADEME)
    se_connecter_depuis_l_accueil(page, live_server, "ademe-cvl")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Avis à rendre")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("Avis à rendre"))
    section.get_by_role("link", name=re.compile(f"Avis technique de l’ADEME — {avis.dossier.reference}")).click()
    expect(page).to_have_url(re.compile(rf"/avis/{avis.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Avis technique de l’ADEME")
    se_deconnecter(page)

    # The binôme: the plan to validate, the unread badge of the notifications that told him.
    plan = PlanAction.objects.get(statut=StatutPlan.SOUMIS)
    se_connecter_depuis_l_accueil(page, live_server, "binome-est-loiret")
    expect(page.get_by_role("link", name=re.compile(r"^Notifications \d+ non lues?$"))).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("button", name="Le programme").click()  # the public pages, in a drop-down menu
    expect(menu.get_by_role("link", name="Les territoires")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("Plans d’action à valider"))
    section.get_by_role("link", name=re.compile("Plan d’action de Est du Loiret, version 1")).click()
    expect(page).to_have_url(re.compile(re.escape(plan.get_absolute_url()) + "$"))
    expect(page.get_by_role("button", name="Valider la version 1")).to_be_visible()
