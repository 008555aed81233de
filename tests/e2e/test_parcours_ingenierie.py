"""The whole engineering journey, by clicks from the home page: the chef de projet of Est du Loiret finds an offer in
the catalogue and asks for support on a fiche-action; the région puts the request under review; the national team
accepts it, commissions the mission and starts it; the consultant uploads the diagnostic; the territory validates it
and evaluates the mission; the national team closes it."""

import re
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    ProjetFactory,
    RegionFactory,
    TerritoireFactory,
    utilisateur_avec,
)
from ti.comptes.models import Role
from ti.ingenierie.models import Budget, Demande, Livrable, Mission, StatutDemande, StatutLivrable, StatutMission

from .test_parcours_plan_action import se_connecter, se_deconnecter

OFFRE = "Marché d’ingénierie Territoires d’industrie (cabinets de conseil)"
FICHE = "Décarbonation du four de fusion d’une verrerie"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def est_du_loiret(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    territoire = TerritoireFactory(
        code="2401",
        nom="Est du Loiret",
        communes=[CommuneFactory(code="45208", nom="Montargis", departement=loiret, population=14000)],
    )
    # What migrations put in the base (the catalogue, the content types the journal points to) is not always back
    # in it when a transactional test ran before this one with the browser open: set it again, idempotently.
    ContentType.objects.clear_cache()
    import_module("ti.ingenierie.migrations.0002_offres_du_programme").creer_offres(apps, None)
    ProjetFactory(territoire=territoire, titre=FICHE)
    Budget.objects.create(annee=2026, montant_ht=Decimal("1500000"))
    return {
        "territoire": territoire,
        "chef": utilisateur_avec(Role.CHEF_PROJET, territoire=territoire),
        "region": utilisateur_avec(Role.REFERENT_REGION, region=cvl),
        "equipe": utilisateur_avec(Role.EQUIPE_NATIONALE),
        # A colleague closes the mission: the same account twice within one TOTP step would replay its code.
        "collegue": utilisateur_avec(Role.EQUIPE_NATIONALE),
        "consultant": utilisateur_avec(Role.CONSULTANT, organisme="Cabinet Exemple Conseil"),
    }


def ouvrir(page, live_server, personne, *, lien: str):
    """Logs in, then from « Mon espace » opens the engineering follow-up and in it the request or mission named."""
    se_connecter(page, live_server, personne.email)
    page.get_by_role("link", name="Mon espace").first.click()
    expect(page.get_by_role("heading", name="Mon espace", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile("Demandes d’accompagnement et missions|Mes missions d’ingénierie")).click()
    page.get_by_role("link", name=lien).click()


def franchir_l_etape(page, etape: str):
    page.get_by_text(etape, exact=True).click()  # the DSFR radio is drawn on its label
    page.get_by_role("button", name="Enregistrer l’étape").click()
    expect(page.get_by_text("Étape enregistrée")).to_be_visible()


def changer_le_statut(page, statut: str):
    page.get_by_label("Nouveau statut").select_option(label=statut)
    page.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.get_by_text(f"Statut : {statut}")).to_be_visible()


def test_de_la_demande_a_la_mission_terminee(est_du_loiret, page, live_server):
    personnes = est_du_loiret

    # The chef de projet, from the home page to the catalogue, asks for support on a fiche.
    se_connecter(page, live_server, personnes["chef"].email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Ingénierie").click()
    page.get_by_role("link", name=re.compile("L’offre d’ingénierie")).click()
    page.get_by_role("link", name=OFFRE).click()
    page.get_by_role("link", name="Pour Est du Loiret").click()
    page.get_by_text(FICHE).click()
    page.get_by_label("Besoin").fill("Un diagnostic des sous-traitants et les financements mobilisables.")
    page.get_by_label("Livrables attendus").fill("Diagnostic, feuille de route")
    page.get_by_label("Calendrier souhaité").fill("De janvier à juin 2026")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Demande enregistrée en brouillon")).to_be_visible()
    franchir_l_etape(page, "Soumise")
    se_deconnecter(page)

    # The région puts it under review.
    demande = Demande.objects.get()
    ouvrir(page, live_server, personnes["region"], lien=f"n°{demande.pk}")
    franchir_l_etape(page, "En examen")
    se_deconnecter(page)

    # The national team accepts, commissions the mission to the firm and starts it.
    ouvrir(page, live_server, personnes["equipe"], lien=f"n°{demande.pk}")
    franchir_l_etape(page, "Acceptée")
    page.get_by_role("link", name="Commander la mission").click()
    page.get_by_label("Type").select_option(label="Choc industriel")
    page.get_by_label("Année de lancement").fill("2026")
    page.get_by_label("Cabinet de conseil").fill("Cabinet Exemple Conseil")
    page.get_by_text(str(personnes["consultant"]), exact=True).click()
    page.get_by_label("Numéro de bon de commande").fill("ANCT-2026-101")
    page.get_by_label("Montant HT (€)").fill("40000")
    page.get_by_label("Montant TTC (€)").fill("48000")
    page.get_by_label("Jours prévus").fill("30")
    page.get_by_role("button", name="Commander la mission").click()
    expect(page.get_by_text("Mission commandée : les consultants nommés la voient")).to_be_visible()
    changer_le_statut(page, "En cours")
    se_deconnecter(page)
    mission = Mission.objects.get()
    assert mission.demande == demande and mission.region.code == "24"

    # The consultant uploads the diagnostic in its phase.
    ouvrir(page, live_server, personnes["consultant"], lien=mission.intitule)
    page.get_by_label("Phase").select_option(label="Diagnostic")
    page.get_by_label("Titre du livrable").fill("Diagnostic du tissu industriel")
    page.get_by_label("Fichier").set_input_files(
        {"name": "diagnostic.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Déposer le livrable").click()
    expect(page.get_by_text("Livrable déposé : le territoire")).to_be_visible()
    se_deconnecter(page)

    # The territory validates it and evaluates the mission.
    ouvrir(page, live_server, personnes["chef"], lien=mission.intitule)
    page.get_by_label("Décision").select_option(label="Validé")
    page.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.get_by_text("Livrable « Diagnostic du tissu industriel » : validé.")).to_be_visible()
    page.get_by_label("Satisfaction").select_option(label="5 sur 5")
    page.get_by_label("Ce que la mission a apporté au territoire").fill("Un plan de financement partagé.")
    page.get_by_role("button", name="Enregistrer l’évaluation").click()
    expect(page.get_by_text("Satisfaction : 5 sur 5.")).to_be_visible()
    se_deconnecter(page)

    # The national team closes the mission.
    ouvrir(page, live_server, personnes["collegue"], lien=mission.intitule)
    changer_le_statut(page, "Terminée")

    mission.refresh_from_db()
    demande.refresh_from_db()
    assert (demande.statut, mission.statut) == (StatutDemande.ACCEPTEE, StatutMission.TERMINEE)
    livrable = Livrable.objects.get()
    assert (livrable.phase.nom, livrable.statut, mission.satisfaction) == ("Diagnostic", StatutLivrable.VALIDE, 5)
