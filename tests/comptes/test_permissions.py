"""The permission layer, role by role: what each one sees (scope) and may do (role)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ti.comptes import permissions
from ti.comptes.models import Habilitation, Role
from ti.territoires.models import Territoire

from ..factories import HabilitationFactory, TerritoireFactory, UtilisateurFactory


def perimetre(user) -> set[str]:
    return set(Territoire.objects.du_perimetre(user).values_list("nom", flat=True))


@pytest.fixture
def deux_territoires(territoire_cvl, territoire_bretagne):
    return territoire_cvl, territoire_bretagne


def test_equipe_nationale_voit_et_peut_tout(equipe_nationale, deux_territoires):
    territoire_cvl, territoire_bretagne = deux_territoires
    assert perimetre(equipe_nationale) == {"Est du Loiret", "Lorient"}
    assert permissions.q_territoires_du_perimetre(equipe_nationale) is None
    assert permissions.est_equipe_nationale(equipe_nationale)
    for territoire in deux_territoires:
        assert permissions.peut(equipe_nationale, "voir_contacts", territoire)
        assert permissions.peut(equipe_nationale, "modifier_territoire", territoire)
    assert permissions.peut(equipe_nationale, "gerer_habilitations")


def test_instructeur_cvl_voit_les_territoires_de_sa_region_et_pas_la_bretagne(instructeur_cvl, deux_territoires):
    territoire_cvl, territoire_bretagne = deux_territoires
    assert perimetre(instructeur_cvl) == {"Est du Loiret"}
    assert permissions.couvre_territoire(instructeur_cvl, territoire_cvl)
    assert not permissions.couvre_territoire(instructeur_cvl, territoire_bretagne)
    assert permissions.peut(instructeur_cvl, "voir_contacts", territoire_cvl)
    assert not permissions.peut(instructeur_cvl, "voir_contacts", territoire_bretagne)
    assert not permissions.peut(instructeur_cvl, "modifier_territoire", territoire_cvl)
    assert not permissions.peut(instructeur_cvl, "gerer_habilitations")


def test_expert_ademe_et_referent_region_ont_le_perimetre_de_leur_region(
    expert_ademe_cvl, referent_region_cvl, deux_territoires
):
    for user in (expert_ademe_cvl, referent_region_cvl):
        assert perimetre(user) == {"Est du Loiret"}
        assert not permissions.peut(user, "modifier_territoire", deux_territoires[0])


def test_instructeur_bretagne_ne_voit_pas_le_centre(instructeur_bretagne, deux_territoires):
    assert perimetre(instructeur_bretagne) == {"Lorient"}
    assert not permissions.peut(instructeur_bretagne, "voir_contacts", deux_territoires[0])


def test_chef_de_projet_ne_voit_que_son_territoire_et_le_modifie(chef_projet_cvl, territoire_cvl, cvl):
    voisin = TerritoireFactory(nom="Voisin du Loiret")
    voisin.regions.set([cvl])
    assert perimetre(chef_projet_cvl) == {"Est du Loiret"}
    assert permissions.peut(chef_projet_cvl, "modifier_territoire", territoire_cvl)
    assert not permissions.peut(chef_projet_cvl, "voir_contacts", voisin)
    assert not permissions.peut(chef_projet_cvl, "modifier_territoire", voisin)
    assert not permissions.peut(chef_projet_cvl, "gerer_habilitations")


def test_binome_voit_les_contacts_mais_ne_modifie_pas_le_territoire(binome_cvl, territoire_cvl):
    assert perimetre(binome_cvl) == {"Est du Loiret"}
    assert permissions.peut(binome_cvl, "voir_contacts", territoire_cvl)
    assert not permissions.peut(binome_cvl, "modifier_territoire", territoire_cvl)
    with pytest.raises(PermissionDenied):
        permissions.exiger(binome_cvl, "modifier_territoire", territoire_cvl)


def test_porteur_et_consultant_n_ont_aucun_territoire(porteur, consultant, deux_territoires):
    for user in (porteur, consultant):
        assert perimetre(user) == set()
        assert not permissions.peut(user, "voir_contacts", deux_territoires[0])
        assert not permissions.peut(user, "modifier_territoire", deux_territoires[0])
        assert not permissions.peut(user, "gerer_habilitations")


def test_une_habilitation_revoquee_ne_donne_plus_rien(territoire_cvl, equipe_nationale):
    habilitation = HabilitationFactory(role=Role.CHEF_PROJET, territoire=territoire_cvl)
    habilitation.revoquee_le = timezone.now()
    habilitation.revoquee_par = equipe_nationale
    habilitation.save()
    user = type(habilitation.utilisateur).objects.get(pk=habilitation.utilisateur_id)
    assert permissions.habilitations(user) == []
    assert perimetre(user) == set()
    assert not permissions.peut(user, "modifier_territoire", territoire_cvl)


def test_une_equipe_nationale_revoquee_ne_gere_plus_rien(db):
    habilitation = HabilitationFactory(role=Role.EQUIPE_NATIONALE, revoquee_le=timezone.now())
    assert not permissions.peut(habilitation.utilisateur, "gerer_habilitations")


def test_anonyme_ne_voit_ni_ne_peut_rien(deux_territoires):
    anonyme = AnonymousUser()
    assert permissions.habilitations(anonyme) == []
    assert perimetre(anonyme) == set()
    for action in ("voir_contacts", "modifier_territoire", "gerer_habilitations"):
        assert not permissions.peut(anonyme, action, deux_territoires[0])


def test_compte_desactive_ne_peut_rien_meme_habilite(equipe_nationale, territoire_cvl):
    equipe_nationale.is_active = False
    assert not permissions.peut(equipe_nationale, "modifier_territoire", territoire_cvl)
    assert not permissions.peut(equipe_nationale, "gerer_habilitations")


def test_personne_ne_gere_ses_propres_habilitations(equipe_nationale, autre_national, chef_projet_cvl):
    assert not permissions.peut(equipe_nationale, "gerer_habilitations", equipe_nationale)
    assert not permissions.peut(equipe_nationale, "gerer_habilitations", equipe_nationale.habilitations.get())
    assert permissions.peut(equipe_nationale, "gerer_habilitations", autre_national)
    assert permissions.peut(equipe_nationale, "gerer_habilitations", chef_projet_cvl.habilitations.get())


def test_plusieurs_habilitations_s_additionnent(territoire_cvl, territoire_bretagne, bretagne):
    user = UtilisateurFactory()
    HabilitationFactory(utilisateur=user, role=Role.BINOME, territoire=territoire_cvl)
    HabilitationFactory(utilisateur=user, role=Role.INSTRUCTEUR, region=bretagne)
    assert perimetre(user) == {"Est du Loiret", "Lorient"}
    assert permissions.roles(user) == {Role.BINOME, Role.INSTRUCTEUR}
    assert not permissions.peut(user, "modifier_territoire", territoire_cvl)


def test_les_habilitations_sont_lues_une_fois_par_requete(chef_projet_cvl, territoire_cvl, django_assert_num_queries):
    with django_assert_num_queries(1):
        permissions.habilitations(chef_projet_cvl)
        permissions.peut(chef_projet_cvl, "modifier_territoire", territoire_cvl)
        permissions.peut(chef_projet_cvl, "voir_contacts", territoire_cvl)
        permissions.roles(chef_projet_cvl)


def test_contrainte_de_perimetre_en_base(db, cvl, territoire_cvl):
    """The database refuses an incoherent scope even if the model's checks are bypassed."""
    from django.db import IntegrityError, transaction

    user = UtilisateurFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(utilisateur=user, role=Role.INSTRUCTEUR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(utilisateur=user, role=Role.CHEF_PROJET, region=cvl)


@pytest.mark.parametrize(
    ("persona", "dispositifs", "chiffres_nationaux"),
    [
        ("equipe_nationale", True, True),
        ("instructeur_cvl", True, False),
        ("expert_ademe_cvl", True, False),
        ("referent_region_cvl", True, False),
        ("chef_projet_cvl", True, False),
        ("binome_cvl", True, False),
        ("porteur", False, False),
        ("consultant", False, False),
        ("sans_habilitation", False, False),
    ],
)
def test_qui_lit_les_dispositifs_et_les_chiffres_nationaux(db, request, persona, dispositifs, chiffres_nationaux):
    utilisateur = request.getfixturevalue(persona)
    assert permissions.peut(utilisateur, "voir_dispositifs") is dispositifs
    assert permissions.peut(utilisateur, "voir_chiffres_nationaux") is chiffres_nationaux
