"""The « À faire » personas: two régions, a territory of each, one person per role, and builders of what awaits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DossierFactory, EnveloppeFactory, HabilitationFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.financements.models import Avis, Message, Statut, Transition
from ti.ingenierie.models import Demande, Livrable, StatutDemande
from ti.projets.models import PlanAction, StatutPlan, TransitionPlan
from ti.referentiel.models import Commune

SIRET = "73282932000074"
AUTRE_SIRET = "35600000000048"


@pytest.fixture
def enveloppe_cvl(cvl):
    return EnveloppeFactory(region=cvl)


@pytest.fixture
def enveloppe_bretagne(bretagne):
    return EnveloppeFactory(region=bretagne, dispositif__code="fonds-vert-ti-2024")


@pytest.fixture
def porteur(db):
    return utilisateur_avec(Role.PORTEUR, siret=SIRET)


@pytest.fixture
def consultant(db):
    return utilisateur_avec(Role.CONSULTANT)


@pytest.fixture
def dossier(enveloppe_cvl, territoire_cvl):
    """A dossier of the porteur's SIRET in Centre-Val de Loire; `dossier(statut=…)`."""

    montargis = Commune.objects.get(code="45208")  # the territory's: no new commune per dossier

    def creer(**champs):
        valeurs = {
            "enveloppe": enveloppe_cvl,
            "territoire": territoire_cvl,
            "commune": montargis,
            "porteur_siret": SIRET,
        }
        return DossierFactory(**{**valeurs, **champs})

    return creer


def demander_correction(dossier, par, motif="Ajoutez le devis signé du fournisseur.") -> None:
    Transition.objects.create(dossier=dossier, de=Statut.DEPOSE, vers=Statut.INCOMPLET, par=par, motif=motif)
    dossier.statut = Statut.INCOMPLET
    dossier.save(update_fields=["statut"])


def demander_avis(dossier, type: str, par, *, dans_jours: int = 10) -> Avis:
    return Avis.objects.create(
        dossier=dossier, type=type, demande_par=par, echeance=timezone.localdate() + timedelta(days=dans_jours)
    )


def ecrire(dossier, auteur, texte="Bonjour") -> Message:
    return Message.objects.create(dossier=dossier, auteur=auteur, texte=texte)


def plan(territoire, statut=StatutPlan.SOUMIS, *, renvoye_par=None) -> PlanAction:
    plan = PlanAction.objects.create(territoire=territoire, numero=1, statut=statut, soumis_le=timezone.now())
    if renvoye_par is not None:
        TransitionPlan.objects.create(
            plan=plan, de=StatutPlan.SOUMIS, vers=StatutPlan.BROUILLON, par=renvoye_par, motif="À reprendre"
        )
    return plan


def demande_ingenierie(territoire, par, statut=StatutDemande.SOUMISE) -> Demande:
    return Demande.objects.create(
        territoire=territoire,
        besoin="Étude de faisabilité d’une chaufferie mutualisée",
        livrables_attendus="Étude",
        calendrier="2027",
        statut=statut,
        cree_par=par,
    )


def livrable(mission, par) -> Livrable:
    return Livrable.objects.create(
        mission=mission,
        titre="Diagnostic",
        fichier="x.pdf",
        nom="x.pdf",
        type_mime="application/pdf",
        taille=3,
        depose_par=par,
    )


def tout_role(cvl, territoire) -> object:
    """One person holding every role: the widest « À faire » there is."""
    user = utilisateur_avec(Role.EQUIPE_NATIONALE)
    for role in (Role.INSTRUCTEUR, Role.EXPERT_ADEME, Role.REFERENT_REGION):
        HabilitationFactory(utilisateur=user, role=role, region=cvl)
    for role in (Role.CHEF_PROJET, Role.BINOME):
        HabilitationFactory(utilisateur=user, role=role, territoire=territoire)
    HabilitationFactory(utilisateur=user, role=Role.PORTEUR, siret=AUTRE_SIRET)
    HabilitationFactory(utilisateur=user, role=Role.CONSULTANT)
    return user
