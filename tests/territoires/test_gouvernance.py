"""The chef de projet status follows the chef de projet habilitations, granted or withdrawn, with its history."""

import pytest

from tests.factories import TerritoireFactory, UtilisateurFactory, utilisateur_avec
from ti.comptes import actions
from ti.comptes.models import Role
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.territoires.models import ChangementChefProjet, StatutChefProjet


@pytest.fixture
def equipe(db):
    return utilisateur_avec(Role.EQUIPE_NATIONALE)


@pytest.fixture
def territoire(db):
    return TerritoireFactory(chef_projet_statut=StatutChefProjet.RECRUTEMENT)


def test_habiliter_un_chef_de_projet_le_met_en_poste_avec_son_historique(equipe, territoire):
    chef = UtilisateurFactory(prenom="Chloé", nom="Cheffe")

    actions.accorder_habilitation(par=equipe, utilisateur=chef, role=Role.CHEF_PROJET, territoire=territoire)

    territoire.refresh_from_db()
    assert territoire.chef_projet_statut == StatutChefProjet.EN_POSTE
    changement = ChangementChefProjet.objects.get(territoire=territoire)
    assert (changement.avant, changement.apres, changement.par) == ("recrutement", "en_poste", equipe)
    assert changement.motif == "Chef de projet habilité : Chloé Cheffe"
    assert Journal.objects.filter(action="chef_projet_statut_change", objet_id=str(territoire.pk)).count() == 1


def test_retirer_le_dernier_chef_de_projet_le_remet_a_aucun(equipe, territoire):
    premiere = actions.accorder_habilitation(
        par=equipe, utilisateur=UtilisateurFactory(), role=Role.CHEF_PROJET, territoire=territoire
    )
    seconde = actions.accorder_habilitation(
        par=equipe, utilisateur=UtilisateurFactory(), role=Role.CHEF_PROJET, territoire=territoire
    )

    actions.revoquer_habilitation(par=equipe, habilitation=premiere, motif="Départ")
    territoire.refresh_from_db()
    assert territoire.chef_projet_statut == StatutChefProjet.EN_POSTE  # another chef remains
    assert ChangementChefProjet.objects.filter(territoire=territoire).count() == 1

    actions.revoquer_habilitation(par=equipe, habilitation=seconde, motif="Fin de contrat")
    territoire.refresh_from_db()
    assert territoire.chef_projet_statut == StatutChefProjet.AUCUN
    dernier = ChangementChefProjet.objects.filter(territoire=territoire).first()
    assert (dernier.avant, dernier.apres) == ("en_poste", "aucun")
    assert "Fin de contrat" in dernier.motif


def test_habiliter_un_binome_ne_change_pas_le_statut(equipe, territoire):
    actions.accorder_habilitation(par=equipe, utilisateur=UtilisateurFactory(), role=Role.BINOME, territoire=territoire)

    territoire.refresh_from_db()
    assert territoire.chef_projet_statut == StatutChefProjet.RECRUTEMENT
    assert not ChangementChefProjet.objects.exists()


def test_un_refus_ne_change_pas_le_statut(equipe, territoire):
    chef = UtilisateurFactory(is_active=False)

    with pytest.raises(Refus):
        actions.accorder_habilitation(par=equipe, utilisateur=chef, role=Role.CHEF_PROJET, territoire=territoire)

    territoire.refresh_from_db()
    assert territoire.chef_projet_statut == StatutChefProjet.RECRUTEMENT
