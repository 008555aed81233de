"""A chef de projet finds a guide in the resource centre: home → network → resources → search → open → download;
the download is counted. The network's guide is not in the public's list."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from ti.animation import actions_ressources
from ti.animation.demo_ressources import pdf
from ti.animation.models_ressources import Ressource, TypeRessource, Visibilite
from ti.comptes.models import Role

from .test_parcours_plan_action import se_connecter


@pytest.fixture
def centre(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    loiret = DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    territoire = TerritoireFactory(nom="Est du Loiret", communes=[CommuneFactory(code="45208", departement=loiret)])
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire)
    national = utilisateur_avec(Role.EQUIPE_NATIONALE)
    for titre, theme in (("Fiche méthode : décarboner un site industriel", "decarbonation"),
                         ("Recruter des alternants", "competences")):  # fmt: skip
        actions_ressources.publier(
            par=national, titre=titre, type=TypeRessource.FICHE_METHODE, resume="Les étapes et les financements.",
            theme=theme, etiquettes=[], visibilite=Visibilite.RESEAU,
            fichier=ContentFile(pdf(titre.encode("ascii", "ignore").decode()), name="fiche.pdf"),
        )  # fmt: skip
    return chef


def test_chercher_ouvrir_telecharger_une_ressource(page, live_server, centre):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Animation du réseau").first.click()
    page.get_by_role("link", name="Centre de ressources").click()
    expect(page.get_by_text("0 ressource")).to_be_visible()  # the network's resources are not public

    se_connecter(page, live_server, centre.email)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    page.get_by_role("link", name="Centre de ressources").click()
    page.get_by_label("Rechercher une ressource").fill("décarbonation")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_text("1 ressource")).to_be_visible()
    page.get_by_role("link", name="Fiche méthode : décarboner un site industriel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche méthode : décarboner un site industriel")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger").click()
    assert Path(telechargement.value.path()).read_bytes().startswith(b"%PDF-")
    assert Ressource.objects.get(titre__startswith="Fiche méthode").telechargements == 1
