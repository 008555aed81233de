"""The retention rule: accounts without login nor habilitation for CONSERVATION_COMPTES_ANS years are anonymised,
not deleted; what they did stays in the journal."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from ti.comptes import jetons
from ti.comptes.models import Role, Utilisateur
from ti.core.models import Journal, historique, journaliser

from ..connexion import application_confirmee
from ..factories import HabilitationFactory, UtilisateurFactory

PARIS = ZoneInfo("Europe/Paris")
IL_Y_A_QUATRE_ANS = datetime(2022, 3, 1, 10, tzinfo=PARIS)
AUJOURD_HUI = datetime(2026, 3, 2, 10, tzinfo=PARIS)


@pytest.fixture
def inactif(db):
    with time_machine.travel(IL_Y_A_QUATRE_ANS, tick=False):
        personne = UtilisateurFactory(email="ancien.agent@exemple.gouv.fr", prenom="Jean", nom="Ancien")
        personne.last_login = timezone.now()
        personne.save(update_fields=["last_login"])
        habilitation = HabilitationFactory(utilisateur=personne, role=Role.CONSULTANT)
        habilitation.revoquee_le = timezone.now()
        habilitation.save(update_fields=["revoquee_le"])
        journaliser(acteur=personne, action="livrable_depose", objet=habilitation)
        jetons.creer_jeton(par=personne, nom="Script")
        application_confirmee(personne)
    return personne


def appliquer(*options) -> str:
    sortie = StringIO()
    with time_machine.travel(AUJOURD_HUI, tick=False):
        call_command("appliquer_conservation", *options, stdout=sortie)
    return sortie.getvalue()


def test_simulation_ne_modifie_rien(inactif):
    sortie = appliquer("--dry-run")
    assert "ancien.agent@exemple.gouv.fr" in sortie
    assert "1 compte(s) inactif(s) depuis plus de 3 ans seraient anonymisés" in sortie
    inactif.refresh_from_db()
    assert inactif.email == "ancien.agent@exemple.gouv.fr" and inactif.anonymise_le is None


def test_un_compte_inactif_est_anonymise_et_son_journal_garde(inactif):
    assert "1 compte(s) inactif(s) depuis plus de 3 ans anonymisés" in appliquer()
    inactif.refresh_from_db()
    assert inactif.email == f"compte-{inactif.pk}@anonymise.invalid"
    assert (inactif.prenom, inactif.nom, inactif.organisation) == ("", "", "")
    assert not inactif.is_active and not inactif.has_usable_password()
    assert inactif.anonymise_le is not None
    assert not inactif.totpdevice_set.exists()
    assert not inactif.jetons_api.actifs().exists()
    assert Journal.objects.filter(acteur=inactif, action="livrable_depose").exists()  # kept, with its author
    entree = historique(inactif).get(action="compte_anonymise")
    assert entree.details == {"derniere_activite": "2022-03-01", "ans": 3}
    assert "ancien" not in entree.objet_libelle.lower()


def test_une_seconde_application_ne_refait_rien(inactif):
    appliquer()
    assert "0 compte(s)" in appliquer()
    assert Journal.objects.filter(action="compte_anonymise").count() == 1


def test_sont_gardes_les_comptes_actifs_habilites_ou_techniques(inactif, db):
    with time_machine.travel(IL_Y_A_QUATRE_ANS, tick=False):
        habilite = HabilitationFactory(role=Role.PORTEUR, siret="91234567500017").utilisateur  # still in force
        fin_recente = HabilitationFactory(role=Role.CONSULTANT).utilisateur
        fin_recente.habilitations.update(valable_jusqu_au=(AUJOURD_HUI - timedelta(days=300)).date())
        technique = Utilisateur.objects.create_superuser("admin@exemple.gouv.fr", "x")
    with time_machine.travel(AUJOURD_HUI - timedelta(days=400), tick=False):
        recent = UtilisateurFactory()
        recent.last_login = timezone.now()
        recent.save(update_fields=["last_login"])
    appliquer()
    restent = Utilisateur.objects.filter(anonymise_le__isnull=True)
    assert set(restent) == {habilite, fin_recente, technique, recent}
