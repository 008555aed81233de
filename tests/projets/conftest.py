"""Shared fixtures of the projets tests: a territory of Eure-et-Loir with real communes, its neighbours, personas.

Kept additive: several parts of the projets suite (fiches, plans, import, search, figures) rely on these names.
"""

from decimal import Decimal

import pytest

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    LigneFinancementFactory,
    ProjetFactory,
    TerritoireFactory,
    utilisateur_avec,
)
from ti.comptes.models import Role
from ti.projets.models import Axe, PhaseProjet, StatutFinancement, StatutPhase, Theme, TypePorteur
from ti.referentiel.models import Epci

SIRET_VALIDE = "73282932000074"  # Luhn key right
SIRET_INVALIDE = "73282932000075"  # one digit off: the key is wrong


@pytest.fixture(autouse=True)
def _medias_temporaires(settings, tmp_path):
    """Uploaded documents go to a folder of the test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eure_et_loir(cvl):
    return DepartementFactory(code="28", nom="Eure-et-Loir", region=cvl)


@pytest.fixture
def cher(cvl):
    return DepartementFactory(code="18", nom="Cher", region=cvl)


@pytest.fixture
def territoire_projets(eure_et_loir):
    """« Pays de Dreux »: Dreux, Vernouillet, Anet and Saint-Lubin-des-Joncherets (COG codes)."""
    agglo = EpciFactory(siren="200040277", nom="CA du Pays de Dreux", nature=Epci.Nature.CA, population=114000)
    communes = [
        CommuneFactory(
            code=code, nom=nom, departement=eure_et_loir, epci=agglo, population=population, codes_postaux=cp
        )
        for code, nom, population, cp in [
            ("28134", "Dreux", 31543, "28100"),
            ("28404", "Vernouillet", 12310, "28500"),
            ("28007", "Anet", 2721, "28260"),
            ("28348", "Saint-Lubin-des-Joncherets", 4116, "28350"),
        ]
    ]
    return TerritoireFactory(code="2405", nom="Pays de Dreux", communes=communes)


@pytest.fixture
def autre_territoire_projets(cher):
    """« Vierzon » (Cher), in the same région: its chef de projet must not see the Pays de Dreux's fiches."""
    cc = EpciFactory(siren="200034924", nom="CC Vierzon-Sologne-Berry", nature=Epci.Nature.CC, population=36000)
    vierzon = CommuneFactory(
        code="18279", nom="Vierzon", departement=cher, epci=cc, population=25068, codes_postaux="18100"
    )
    return TerritoireFactory(code="2411", nom="Vierzon", communes=[vierzon])


@pytest.fixture
def commune_hors_territoire(eure_et_loir):
    """Chartres: known to the référentiel, in the same département, but in no territory."""
    return CommuneFactory(
        code="28085", nom="Chartres", departement=eure_et_loir, population=38324, codes_postaux="28000"
    )


@pytest.fixture
def chef_projet(territoire_projets):
    return utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_projets)


@pytest.fixture
def binome(territoire_projets):
    return utilisateur_avec(Role.BINOME, territoire=territoire_projets)


@pytest.fixture
def instructeur_region(cvl):
    return utilisateur_avec(Role.INSTRUCTEUR, region=cvl)


@pytest.fixture
def autre_chef_projet(autre_territoire_projets):
    return utilisateur_avec(Role.CHEF_PROJET, territoire=autre_territoire_projets)


@pytest.fixture
def projet_public(territoire_projets):
    """A published fiche in Dreux, with two themes and a financing plan of two lines."""
    projet = ProjetFactory(
        territoire=territoire_projets,
        titre="Plateforme mutualisée de fabrication additive",
        description="Des machines de fabrication additive partagées entre les PME du Pays de Dreux.",
        objectifs="Dix entreprises utilisatrices la première année.",
        porteur_nom="Forges du Drouais",
        porteur_siret=SIRET_VALIDE,
        porteur_type=TypePorteur.ENTREPRISE,
        axe=Axe.INNOVER,
        phase=PhaseProjet.ETUDE,
        phase_statut=StatutPhase.EN_COURS,
        commune=territoire_projets.communes.get(code="28134"),
        budget=Decimal("250000.00"),
        emplois_crees=12,
        public=True,
    )
    projet.themes.set(Theme.objects.filter(code__in=["reindustrialisation", "innovation"]))
    LigneFinancementFactory(projet=projet, financeur="Conseil régional Centre-Val de Loire", montant=Decimal("80000"))
    LigneFinancementFactory(
        projet=projet,
        financeur="État",
        dispositif="Fonds vert",
        montant=Decimal("50000"),
        statut=StatutFinancement.SOLLICITE,
    )
    return projet


@pytest.fixture
def projet_prive(territoire_projets):
    """A fiche the territory keeps to itself (not published)."""
    return ProjetFactory(
        territoire=territoire_projets,
        titre="Reconversion de la friche Philips",
        description="Étude de dépollution et de reconversion d’une friche industrielle.",
        porteur_nom="CA du Pays de Dreux",
        porteur_siret="",
        porteur_type=TypePorteur.EPCI,
        axe=Axe.ATTIRER,
        phase=PhaseProjet.IDEE,
        commune=territoire_projets.communes.get(code="28404"),
        budget=Decimal("1200000.00"),
        hectares=Decimal("6.50"),
        public=False,
    )
