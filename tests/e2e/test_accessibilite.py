"""axe-core (Deque's rules for WCAG 2.1 A and AA, run in Chromium) on the pages a visitor meets first: no
violation at all. The rules run on the rendered page, after the DSFR's scripts, as a person's browser shows it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from ti.comptes.models import Role
from ti.territoires.models import Phase

from ..factories import (
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    EnveloppeFactory,
    RegionFactory,
    TerritoireFactory,
    utilisateur_avec,
)
from .test_parcours_plan_action import se_connecter

REGLES_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES_PUBLIQUES = [
    "accueil",
    "territoires:liste",
    "territoires:commune",
    "projets:annuaire",
    "financements:aides",
    "foncier:catalogue",
    "ingenierie:catalogue",
    "animation:programme",
    "pilotage:donnees_ouvertes",
    "comptes:inscription",
    "comptes:connexion",
    "core:accessibilite",
    "core:plan_du_site",
]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture
def programme(transactional_db, django_db_serialized_rollback):
    """A Temps II territory of Centre-Val de Loire and the Fonds vert with its envelope: the pages show real rows."""
    cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
    montargis = CommuneFactory(code="45208", nom="Montargis", departement=DepartementFactory(code="45", region=cvl))
    territoire = TerritoireFactory(nom="Est du Loiret", phase=Phase.TEMPS_2, communes=[montargis])
    dispositif = DispositifFactory()
    EnveloppeFactory(dispositif=dispositif, region=cvl, annee=dispositif.annee)
    return territoire


def violations(axe: Axe, page) -> list[str]:
    resultats = axe.run(page, options={"runOnly": {"type": "tag", "values": REGLES_WCAG}})
    return [
        f"{violation['id']} ({violation['impact']}) : {[noeud['target'] for noeud in violation['nodes'][:3]]}"
        for violation in resultats.response["violations"]
    ]


@pytest.mark.parametrize("nom", PAGES_PUBLIQUES)
def test_une_page_publique_passe_axe_sans_violation(page, live_server, programme, axe, nom):
    page.goto(live_server.url + reverse(nom))
    assert violations(axe, page) == []


def test_la_page_d_un_territoire_passe_axe_sans_violation(page, live_server, programme, axe):
    page.goto(live_server.url + programme.get_absolute_url())
    assert violations(axe, page) == []


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        (Role.CHEF_PROJET, ["espace:a_faire", "projets:annuaire", "ingenierie:tableau", "animation:programme"]),
        (Role.PORTEUR, ["espace:a_faire", "financements:mes_dossiers", "comptes:mes_entreprises"]),
        (Role.INSTRUCTEUR, ["espace:a_faire", "financements:file"]),
    ],
)
def test_les_pages_d_un_role_passent_axe_sans_violation(page, live_server, programme, axe, role, pages):
    """Signed in from the home page (second factor included where the role needs it), then the role's pages."""
    perimetre = {
        Role.CHEF_PROJET: {"territoire": programme},
        Role.PORTEUR: {"siret": "73282932000074"},
        Role.INSTRUCTEUR: {"region": programme.regions.get()},
    }[role]
    se_connecter(page, live_server, utilisateur_avec(role, **perimetre).email)
    for nom in pages:
        page.goto(live_server.url + reverse(nom))
        assert (nom, violations(axe, page)) == (nom, [])


def test_axe_voit_une_violation_ajoutee_a_la_page(page, live_server, programme, axe):
    page.goto(live_server.url + reverse("accueil"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert any(ligne.startswith("image-alt") for ligne in violations(axe, page))
