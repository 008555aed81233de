"""An investor's adviser finds a site of 20 ha with rail access from the home page and sends a request; the chef de
projet of the site's territory reads it in his inbox."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from tests.foncier.conftest import SiteFactory
from ti.comptes.models import Role
from ti.core.travaux import executer_en_attente
from ti.foncier.models import Demande

from .test_parcours_plan_action import se_connecter


@pytest.fixture
def territoire(transactional_db, django_db_serialized_rollback):
    loiret = DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    amilly = CommuneFactory(code="45004", nom="Amilly", departement=loiret)
    territoire = TerritoireFactory(code="2401", nom="Est du Loiret", communes=[amilly])
    SiteFactory(
        commune=amilly,
        nom="Parc industriel des Terres Blanches",
        surface_brute=34,
        surface_utile=28,
        embranchement_fer=True,
        longitude=2.771,
        latitude=47.975,
    )
    SiteFactory(commune=amilly, nom="Petite zone sans rail", surface_brute=6, surface_utile=5)
    return territoire


def test_de_l_accueil_a_la_demande_lue_par_le_chef_de_projet(page, live_server, territoire):
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Trouver un site clé en main").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sites clés en main")
    page.get_by_label("Surface utile minimale (ha)").fill("20")
    page.locator("label[for=id_rail]").click()  # the DSFR box is drawn by its label
    page.get_by_label("Disponible d’ici (mois)").fill("12")
    page.get_by_role("button", name="Afficher les sites").click()

    expect(page).to_have_url(re.compile(r"surface_min=20.*rail=on"))
    expect(page.locator("#nombre-resultats")).to_have_text("1 site trouvé")
    expect(page.locator("svg circle.ti-carte__site")).to_have_count(1)
    page.get_by_role("link", name="Parc industriel des Terres Blanches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Parc industriel des Terres Blanches")
    expect(page.get_by_text("Embranchement ferroviaire (ITE) : oui")).to_be_visible()
    page.get_by_label("Nom et prénom").fill("Claire Martin")
    page.get_by_label("Entreprise ou cabinet").fill("Batteries du Centre SAS")
    page.get_by_label("Adresse électronique").fill("claire.martin@batteries.example")
    page.get_by_label("Projet").fill("Usine de recyclage de batteries.")
    page.get_by_label("Surface recherchée (ha)").fill("22")
    page.get_by_label("Emplois prévus").fill("350")
    page.get_by_label("Calendrier d’implantation").fill("Mise en service en 2028")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande est envoyée au chef de projet du territoire et à la région")).to_be_visible()
    assert Demande.objects.count() == 1
    assert executer_en_attente() == 2  # the notification, then its e-mail

    se_connecter(page, live_server, chef.email)
    page.get_by_role("link", name="Notifications 1 non lue").click()
    page.get_by_role("link", name=re.compile("Batteries du Centre SAS")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de Batteries du Centre SAS")
    expect(page.get_by_text("claire.martin@batteries.example")).to_be_visible()
    page.get_by_label("Nouveau statut").select_option("en_contact")
    page.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.get_by_text("Statut de la demande enregistré.")).to_be_visible()

    page.get_by_role("navigation", name="vous êtes ici :").get_by_role("link", name="Demandes d’investisseurs").click()
    expect(page.get_by_role("link", name="Batteries du Centre SAS — Claire Martin")).to_be_visible()
