from datetime import timedelta

import pytest
from django.utils import timezone

from ti.animation import actions_echanges
from ti.animation.models import Evenement, Fil, Inscription, StatutInscription, TypeEvenement
from ti.comptes.models import Role

from ..factories import utilisateur_avec


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded resources (and the demo's) go to a temporary folder, never to the working tree's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def creer_evenement(organisateur, **champs) -> Evenement:
    """An atelier in ten days, registrations open for a week, the national network's (not public)."""
    debut = timezone.now() + timedelta(days=10)
    valeurs = {
        "titre": "Atelier décarbonation",
        "type": TypeEvenement.ATELIER,
        "debut": debut,
        "fin": debut + timedelta(hours=3),
        "lieu": "Orléans",
        "capacite": 2,
        "cloture_inscriptions": debut - timedelta(days=3),
        "organisateur": organisateur,
        **champs,
    }
    return Evenement.objects.create(**valeurs)


def ouvrir_fil(auteur, *, texte="Quel budget prévoir ?", **champs) -> Fil:
    """A question of the network's space, through its action (the author follows it)."""
    valeurs = {"theme": "foncier", "titre": "Inventaire quatre saisons sur une friche", "texte": texte, **champs}
    return actions_echanges.ouvrir_fil(par=auteur, **valeurs)


@pytest.fixture
def binome_bretagne(territoire_bretagne):
    return utilisateur_avec(Role.BINOME, territoire=territoire_bretagne)


@pytest.fixture
def referent_region_bretagne(bretagne):
    return utilisateur_avec(Role.REFERENT_REGION, region=bretagne)


@pytest.fixture
def atelier(equipe_nationale):
    return creer_evenement(equipe_nationale)


@pytest.fixture
def passe_avec_inscrits(referent_region_cvl, cvl, territoire_cvl):
    debut = timezone.now() - timedelta(hours=2)
    evenement = creer_evenement(
        referent_region_cvl,
        region=cvl,
        capacite=3,
        debut=debut,
        fin=debut + timedelta(hours=1),  # over: off the programme
        cloture_inscriptions=debut - timedelta(days=1),
    )
    for i in range(4):
        chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)
        statut = StatutInscription.INSCRIT if i < 3 else StatutInscription.ATTENTE
        Inscription.objects.create(evenement=evenement, participant=chef, statut=statut)
    return evenement


@pytest.fixture
def personne(request, db):
    """The persona named `qui`, one per role of the permission tests: `personne("chef_cvl")`."""

    def creer(qui: str):
        fixtures = {"chef_cvl": "chef_projet_cvl", "instructeur_cvl": "instructeur_cvl",
                    "referent_cvl": "referent_region_cvl", "equipe_nationale": "equipe_nationale"}  # fmt: skip
        if qui in fixtures:
            return request.getfixturevalue(fixtures[qui])
        if qui == "binome_bretagne":
            return utilisateur_avec(Role.BINOME, territoire=request.getfixturevalue("territoire_bretagne"))
        if qui == "porteur":
            return utilisateur_avec(Role.PORTEUR, siret="91234567500017")
        if qui == "consultant":
            return utilisateur_avec(Role.CONSULTANT, organisme="Cabinet")
        raise ValueError(qui)

    return creer
