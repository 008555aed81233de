"""The chef de projet registers to a workshop and takes its calendar file; once the workshop has begun, the regional
referent who organises it records who came; the chef then finds his attestation of attendance."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from ti.animation.models import Evenement, Inscription, TypeEvenement
from ti.comptes.models import Role

from .test_parcours_plan_action import se_connecter, se_deconnecter


def creer_reseau():
    """A chef de projet in Centre-Val de Loire, a binôme in Bretagne, the Conseil régional referent of Centre-Val de
    Loire; returns the three accounts."""
    cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=RegionFactory(code="53", nom="Bretagne"))
    est_du_loiret = TerritoireFactory(nom="Est du Loiret", communes=[CommuneFactory(code="45208", departement=loiret)])
    lorient = TerritoireFactory(nom="Lorient", communes=[CommuneFactory(code="56121", departement=morbihan)])
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=est_du_loiret, utilisateur__prenom="Claire",
                            utilisateur__nom="Martin")  # fmt: skip
    binome = utilisateur_avec(Role.BINOME, territoire=lorient, utilisateur__prenom="Yann", utilisateur__nom="Le Gall")
    referent = utilisateur_avec(Role.REFERENT_REGION, region=cvl)
    return chef, binome, referent


@pytest.fixture
def reseau(transactional_db, django_db_serialized_rollback):
    chef, binome, referent = creer_reseau()
    debut = timezone.now() + timedelta(days=12)
    Evenement.objects.create(
        titre="Décarbonation des sites industriels",
        type=TypeEvenement.ATELIER,
        debut=debut,
        fin=debut + timedelta(hours=3),
        lieu="Orléans",
        region=referent.habilitations.get().region,
        capacite=20,
        cloture_inscriptions=debut - timedelta(days=3),
        organisateur=referent,
    )
    return chef, referent


def test_inscription_agenda_presence_attestation(page, live_server, reseau):
    chef, referent = reseau
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
    se_deconnecter(page)

    maintenant = timezone.now()  # the day has come: the workshop began an hour ago
    Evenement.objects.update(debut=maintenant - timedelta(hours=1), fin=maintenant + timedelta(hours=2))

    se_connecter(page, live_server, referent.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name="Décarbonation des sites industriels").click()
    page.locator("label", has_text="Claire Martin présent").click()  # DSFR draws the box on the label
    expect(page.get_by_label("Claire Martin présent")).to_be_checked()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées : 1 présent(s).")).to_be_visible()
    assert Inscription.objects.get().present is True
    se_deconnecter(page)

    se_connecter(page, live_server, chef.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name="Décarbonation des sites industriels").click()
    page.get_by_role("link", name="Mon attestation de présence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attestation de présence")
    expect(page.get_by_role("main")).to_contain_text("atteste que Claire Martin")
