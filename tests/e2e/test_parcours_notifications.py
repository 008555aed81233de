"""The binôme is told that a plan awaits him: the badge in the header, the Notifications page, the place to act."""

import re

import pytest
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
from ti.core.travaux import executer_en_attente
from ti.projets.actions import plans

from .test_parcours_plan_action import se_connecter


@pytest.fixture
def territoire(transactional_db, django_db_serialized_rollback):
    eure_et_loir = DepartementFactory(code="28", nom="Eure-et-Loir", region=RegionFactory(code="24"))
    return TerritoireFactory(
        code="2408",
        nom="Vallée de l’Eure-Portes Euréliennes",
        communes=[CommuneFactory(code="28134", nom="Dreux", departement=eure_et_loir, population=31543)],
    )


def test_le_binome_trouve_le_plan_a_valider_depuis_la_pastille(page, live_server, territoire):
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire)
    binome = utilisateur_avec(Role.BINOME, territoire=territoire)
    ProjetFactory(territoire=territoire, titre="Sobriété foncière des zones d’activités")
    plan = plans.soumettre_plan(plan=plans.plan_courant(territoire=territoire, par=chef), par=chef)
    assert executer_en_attente() == 2  # the step's notification, then its e-mail

    se_connecter(page, live_server, binome.email)
    pastille = page.get_by_role("link", name="Notifications 1 non lue")
    expect(pastille).to_be_visible()
    pastille.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("link", name=re.compile("soumis à votre validation")).click()
    expect(page).to_have_url(re.compile(re.escape(plan.get_absolute_url()) + "$"))

    page.go_back()
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("1 notification marquée comme lue.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.get_by_text("Aucune notification non lue.")).to_be_visible()
