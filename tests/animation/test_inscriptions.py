"""Registrations: a seat or the waiting list, refusals in French, cancellation and automatic promotion, attendance."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ti.animation import actions
from ti.animation.models import Inscription, StatutInscription
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.notifications.models import Notification, Type

from ..factories import utilisateur_avec
from .conftest import creer_evenement


@pytest.fixture
def trois_chefs(territoire_cvl):
    return [utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl) for _ in range(3)]


def test_places_puis_liste_d_attente(atelier, trois_chefs):
    statuts = [actions.inscrire(evenement=atelier, par=chef).statut for chef in trois_chefs]
    assert statuts == [StatutInscription.INSCRIT, StatutInscription.INSCRIT, StatutInscription.ATTENTE]
    assert Journal.objects.filter(action="animation.inscription").count() == 3


def test_double_inscription_refusee(atelier, chef_projet_cvl):
    actions.inscrire(evenement=atelier, par=chef_projet_cvl)
    with pytest.raises(actions.Refus, match="déjà inscrit à « Atelier décarbonation »"):
        actions.inscrire(evenement=atelier, par=chef_projet_cvl)
    assert Inscription.objects.count() == 1


def test_double_inscription_sur_la_liste_d_attente_refusee(atelier, trois_chefs):
    for chef in trois_chefs:
        actions.inscrire(evenement=atelier, par=chef)
    with pytest.raises(actions.Refus, match="déjà sur la liste d’attente"):
        actions.inscrire(evenement=atelier, par=trois_chefs[2])


def test_inscriptions_closes(equipe_nationale, chef_projet_cvl):
    evenement = creer_evenement(equipe_nationale, cloture_inscriptions=timezone.now() - timedelta(minutes=1))
    with pytest.raises(actions.Refus, match="Les inscriptions à « Atelier décarbonation » sont closes depuis le"):
        actions.inscrire(evenement=evenement, par=chef_projet_cvl)
    assert not Inscription.objects.exists()


def test_hors_reseau_refuse(atelier, territoire_cvl):
    porteur = utilisateur_avec(Role.PORTEUR, siret="91234567500017")
    with pytest.raises(PermissionDenied):
        actions.inscrire(evenement=atelier, par=porteur)


def test_annulation_promeut_le_premier_en_attente_et_le_previent(
    atelier, trois_chefs, territoire_cvl, executer_travaux, django_capture_on_commit_callbacks
):
    quatrieme = utilisateur_avec(Role.BINOME, territoire=territoire_cvl)
    inscriptions = [actions.inscrire(evenement=atelier, par=p) for p in [*trois_chefs, quatrieme]]

    with django_capture_on_commit_callbacks(execute=True):
        promue = actions.annuler(inscription=inscriptions[0], par=trois_chefs[0])
    executer_travaux()

    assert promue.pk == inscriptions[2].pk  # the first who waited, not the last
    statuts = dict(Inscription.objects.values_list("participant", "statut"))
    assert statuts == {
        trois_chefs[0].pk: StatutInscription.ANNULEE,
        trois_chefs[1].pk: StatutInscription.INSCRIT,
        trois_chefs[2].pk: StatutInscription.INSCRIT,
        quatrieme.pk: StatutInscription.ATTENTE,
    }
    notification = Notification.objects.get()
    assert notification.destinataire == trois_chefs[2] and notification.type == Type.PLACE_EVENEMENT
    assert "Atelier décarbonation" in notification.texte and notification.lien == atelier.get_absolute_url()
    promotion = Journal.objects.filter(action="animation.statut_inscription").order_by("pk").last()
    assert promotion.details == {"de": "attente", "vers": "inscrit"}


def test_quitter_la_liste_d_attente_ne_promeut_personne(
    atelier, trois_chefs, executer_travaux, django_capture_on_commit_callbacks
):
    inscriptions = [actions.inscrire(evenement=atelier, par=p) for p in trois_chefs]
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.annuler(inscription=inscriptions[2], par=trois_chefs[2]) is None
    executer_travaux()
    assert not Notification.objects.exists()


def test_se_reinscrire_apres_annulation_repasse_en_fin_de_liste(atelier, trois_chefs):
    inscriptions = [actions.inscrire(evenement=atelier, par=p) for p in trois_chefs]
    actions.annuler(inscription=inscriptions[0], par=trois_chefs[0])  # the third takes the seat
    revenue = actions.inscrire(evenement=atelier, par=trois_chefs[0])
    assert revenue.pk == inscriptions[0].pk and revenue.statut == StatutInscription.ATTENTE


def test_annuler_l_inscription_d_autrui_reserve_aux_organisateurs(atelier, trois_chefs, referent_region_cvl):
    inscription = actions.inscrire(evenement=atelier, par=trois_chefs[0])
    with pytest.raises(PermissionDenied):
        actions.annuler(inscription=inscription, par=trois_chefs[1])
    with pytest.raises(PermissionDenied):  # a referent of a région runs his région's events only
        actions.annuler(inscription=inscription, par=referent_region_cvl)
    actions.annuler(inscription=inscription, par=atelier.organisateur, motif="Doublon")
    assert Inscription.objects.get().statut == StatutInscription.ANNULEE


def test_presences_apres_le_debut_seulement(equipe_nationale, trois_chefs):
    evenement = creer_evenement(equipe_nationale, capacite=5)
    inscriptions = [actions.inscrire(evenement=evenement, par=p) for p in trois_chefs]
    with pytest.raises(actions.Refus, match="une fois l’événement commencé"):
        actions.noter_presences(evenement=evenement, par=equipe_nationale, presents={inscriptions[0].pk})

    evenement.debut = timezone.now() - timedelta(hours=1)
    evenement.save()
    venus = actions.noter_presences(
        evenement=evenement, par=equipe_nationale, presents={inscriptions[0].pk, inscriptions[1].pk}
    )
    assert venus == 2
    assert dict(Inscription.objects.values_list("pk", "present")) == {
        inscriptions[0].pk: True,
        inscriptions[1].pk: True,
        inscriptions[2].pk: False,
    }
    assert Journal.objects.filter(action="animation.presences").exists()


def test_presences_refusees_pour_qui_n_est_pas_inscrit(equipe_nationale, trois_chefs):
    debut = timezone.now() - timedelta(hours=1)  # registrations still open: an event over several days
    evenement = creer_evenement(
        equipe_nationale, capacite=1, debut=debut, cloture_inscriptions=debut + timedelta(days=1)
    )
    inscrit = actions.inscrire(evenement=evenement, par=trois_chefs[0])
    en_attente = actions.inscrire(evenement=evenement, par=trois_chefs[1])
    with pytest.raises(actions.Refus, match="1 personne"):
        actions.noter_presences(evenement=evenement, par=equipe_nationale, presents={inscrit.pk, en_attente.pk})
    assert Inscription.objects.get(pk=inscrit.pk).present is None  # nothing written


def test_presences_reservees_aux_organisateurs(atelier, chef_projet_cvl):
    with pytest.raises(PermissionDenied):
        actions.noter_presences(evenement=atelier, par=chef_projet_cvl, presents=set())
