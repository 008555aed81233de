"""The chef de projet writes a fiche-action, finds it through the search, submits the plan; the binôme validates it."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.connexion import code_actuel
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.projets.models import PlanAction, Projet, StatutPlan

MOT_DE_PASSE = "mot-de-passe-de-test-1"  # the one UtilisateurFactory sets


@pytest.fixture
def territoire_dreux(transactional_db, django_db_serialized_rollback):
    eure_et_loir = DepartementFactory(code="28", nom="Eure-et-Loir", region=RegionFactory(code="24"))
    return TerritoireFactory(
        code="2408",
        nom="Vallée de l’Eure-Portes Euréliennes",
        communes=[CommuneFactory(code="28134", nom="Dreux", departement=eure_et_loir, population=31543)],
    )


def se_connecter(page, live_server, email):
    """The password, then for the roles that need it the second factor: enrolment the first time, else the code."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    if "/comptes/double-facteur/activer/" in page.url:
        page.get_by_label("Code de vérification").fill(code_actuel(TOTPDevice.objects.get(user__email=email)))
        page.get_by_role("button", name="Activer").click()
        expect(page.get_by_role("heading", name="Codes de secours")).to_be_visible()
        page.get_by_role("button", name="J’ai conservé mes codes, continuer").click()
    elif "/comptes/double-facteur/" in page.url:
        page.get_by_label("Code de vérification").fill(code_actuel(TOTPDevice.objects.get(user__email=email)))
        page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def se_deconnecter(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_fiche_creee_retrouvee_puis_plan_soumis_et_valide(page, live_server, territoire_dreux):
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_dreux)
    binome = utilisateur_avec(Role.BINOME, territoire=territoire_dreux)

    # The chef de projet writes a fiche-action.
    se_connecter(page, live_server, chef.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon territoire").click()
    page.get_by_role("link", name=re.compile("^Fiches-action")).click()
    page.get_by_role("link", name="Nouvelle fiche-action").click()
    page.get_by_label("Titre de la fiche-action").fill("Sobriété foncière des zones d’activités drouaises")
    page.get_by_label("Axe du programme").select_option("attirer")
    page.get_by_label("Commune de réalisation").fill("28134")
    page.get_by_label("Budget total (€)").fill("180 000")
    page.get_by_role("button", name="Créer la fiche-action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sobriété foncière"))
    projet = Projet.objects.get(titre__startswith="Sobriété foncière")
    assert projet.territoire == territoire_dreux and projet.commune_id == "28134"

    # She finds it through the search, without the accents.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Projets").click()
    page.get_by_label("Rechercher", exact=True).fill("sobriete fonciere drouaises")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("Sobriété foncière des zones")).click()
    expect(page).to_have_url(re.compile(rf"/projets/{projet.pk}/$"))

    # She submits the plan d'action to the binôme.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon territoire").click()
    page.get_by_role("link", name=re.compile("^Plan d’action")).click()
    expect(page.get_by_text("Sobriété foncière des zones d’activités drouaises").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Soumettre la version 1")).click()
    expect(page.get_by_text(re.compile("Soumis au binôme", re.IGNORECASE)).first).to_be_visible()
    se_deconnecter(page)

    # The binôme validates it.
    se_connecter(page, live_server, binome.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon territoire").click()
    page.get_by_role("link", name=re.compile("^Plan d’action")).click()
    page.get_by_role("button", name="Valider la version 1").click()
    expect(page.get_by_text(re.compile("Validé", re.IGNORECASE)).first).to_be_visible()

    plan = PlanAction.objects.get(territoire=territoire_dreux, numero=1)
    assert plan.statut == StatutPlan.VALIDE
    assert plan.valide_par == binome
    assert [fiche["titre"] for fiche in plan.instantane] == ["Sobriété foncière des zones d’activités drouaises"]
