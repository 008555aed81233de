"""Investors' requests: the public form and its protections, who is told, the private inbox role by role."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import SCEAU, utilisateur_avec
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.foncier import actions
from ti.foncier.models import Demande, StatutDemande
from ti.notifications.models import Notification

FORMULAIRE = {
    "nom": "Claire Martin",
    "organisation": "Batteries du Centre SAS",
    "email": "claire.martin@batteries.example",
    "telephone": "",
    "projet": "Usine de recyclage de batteries, 200 M€.",
    "surface_ha": "22",
    "emplois": "350",
    "calendrier": "Décision fin 2026, mise en service 2028",
}


def demander(client, site, **champs):
    return client.post(reverse("foncier:demander", args=[site.identifiant]), {**FORMULAIRE, **champs})


@pytest.fixture
def demande(site_cvl):
    return actions.deposer_demande(site=site_cvl, **{**FORMULAIRE, "surface_ha": 22, "emplois": 350})


def test_la_demande_est_gardee_et_journalisee(client, site_cvl):
    reponse = demander(client, site_cvl)

    assert reponse.status_code == 302 and reponse["Location"] == site_cvl.get_absolute_url()
    demande = Demande.objects.get()
    assert (demande.site, demande.emplois, demande.statut) == (site_cvl, 350, StatutDemande.NOUVEAU)
    assert Journal.objects.filter(action="foncier.demande_recue", objet_id=str(demande.pk)).exists()
    page = client.get(site_cvl.get_absolute_url()).content.decode()
    assert "Votre demande est envoyée au chef de projet du territoire et à la région" in page
    assert "Batteries du Centre" not in page  # never shown publicly


def test_le_chef_de_projet_et_le_referent_regional_sont_prevenus(
    client,
    site_cvl,
    chef_projet_cvl,
    referent_region_cvl,
    instructeur_cvl,
    territoire_bretagne,
    executer_travaux,
    django_capture_on_commit_callbacks,
):
    chef_ailleurs = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)

    with django_capture_on_commit_callbacks(execute=True):
        demander(client, site_cvl)
    executer_travaux()

    prevenus = set(Notification.objects.values_list("destinataire", flat=True))
    assert prevenus == {chef_projet_cvl.pk, referent_region_cvl.pk}
    assert chef_ailleurs.pk not in prevenus and instructeur_cvl.pk not in prevenus
    notification = Notification.objects.get(destinataire=chef_projet_cvl)
    assert notification.lien == Demande.objects.get().get_absolute_url()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chef_projet_cvl.email, referent_region_cvl.email])
    assert "Batteries du Centre SAS" in mail.outbox[0].subject


def test_formulaire_incomplet_explique(client, site_cvl):
    reponse = demander(client, site_cvl, email="pas-une-adresse", emplois="")

    assert reponse.status_code == 400
    assert not Demande.objects.exists()
    contenu = reponse.content.decode()
    assert "Saisissez une adresse de courriel valide." in contenu
    assert "Ce champ est obligatoire." in contenu


def test_le_pot_de_miel_ecarte_les_robots_sans_le_leur_dire(client, site_cvl):
    reponse = demander(client, site_cvl, site_web="http://spam.example")

    assert reponse.status_code == 302
    assert not Demande.objects.exists()


def test_limite_de_demandes_par_adresse(client, site_cvl):
    cache.clear()
    for _ in range(5):
        assert demander(client, site_cvl).status_code == 302

    reponse = demander(client, site_cvl)

    assert reponse.status_code == 429
    assert "Trop de demandes envoyées depuis votre connexion" in reponse.content.decode()
    assert Demande.objects.count() == 5


@pytest.mark.parametrize(
    ("personne", "voit"),
    [
        ("chef_projet_cvl", True),
        ("binome_cvl", True),
        ("referent_region_cvl", True),
        ("instructeur_cvl", True),
        ("instructeur_bretagne", False),
        ("chef_ailleurs", False),
        ("equipe_nationale", False),
        ("porteur", False),
    ],
)
def test_une_demande_n_est_visible_que_du_territoire_et_de_la_region(
    client, request, demande, territoire_bretagne, personne, voit
):
    if personne == "chef_ailleurs":
        utilisateur = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)
    elif personne == "porteur":
        utilisateur = utilisateur_avec(Role.PORTEUR, siret="91234567500017")
    else:
        utilisateur = request.getfixturevalue(personne)
    client.force_login(utilisateur)

    assert client.get(demande.get_absolute_url()).status_code == (200 if voit else 404)
    assert (demande in client.get(reverse("foncier:boite")).context["page_obj"]) is voit


def test_un_visiteur_est_renvoye_vers_la_connexion(client, demande):
    reponse = client.get(demande.get_absolute_url())
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("comptes:connexion"))


def test_le_chef_de_projet_passe_la_demande_en_contact_puis_la_clot(client, demande, chef_projet_cvl):
    client.force_login(chef_projet_cvl)

    client.post(demande.get_absolute_url(), {"statut": "en_contact", "motif": "Appel le 3 décembre"})
    client.post(demande.get_absolute_url(), {"statut": "clos", "motif": ""})

    demande.refresh_from_db()
    assert demande.statut == StatutDemande.CLOS
    transitions = Journal.objects.filter(action="foncier.statut_demande").order_by("pk")
    assert [(j.details["de"], j.details["vers"], j.acteur) for j in transitions] == [
        ("nouveau", "en_contact", chef_projet_cvl),
        ("en_contact", "clos", chef_projet_cvl),
    ]
    assert transitions[0].motif == "Appel le 3 décembre"


def test_transition_impossible_refusee(client, demande, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    client.post(demande.get_absolute_url(), {"statut": "en_contact"})

    reponse = client.post(demande.get_absolute_url(), {"statut": "nouveau"})

    assert "Une demande « en contact » ne peut pas passer à « nouveau »." in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_CONTACT


def test_boite_en_requetes_bornees(client, site_cvl, chef_projet_cvl, django_assert_max_num_queries):
    for _ in range(25):
        actions.deposer_demande(site=site_cvl, **{**FORMULAIRE, "surface_ha": 5, "emplois": 10})
    client.force_login(chef_projet_cvl)

    with django_assert_max_num_queries(8):
        reponse = client.get(reverse("foncier:boite"))

    assert len(reponse.context["page_obj"]) == 25
    assert ("nouveau", "Nouveau", 25) in reponse.context["onglets"]


def test_la_demande_en_requetes_bornees(client, demande, chef_projet_cvl, django_assert_max_num_queries):
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(8 + SCEAU):
        assert client.get(demande.get_absolute_url()).status_code == 200
