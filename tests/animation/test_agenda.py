"""Each person's calendar feed: a secret, renewable address with the events the person is registered to."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from ti.animation import actions
from ti.animation.models import FluxAgenda
from ti.comptes.models import Role
from ti.core.models import Journal

from ..factories import utilisateur_avec
from .conftest import creer_evenement

URL = reverse("animation:mon_agenda")


def _titres(client, flux) -> set[str]:
    reponse = client.get(flux.get_absolute_url())
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(v["SUMMARY"]) for v in Calendar.from_ical(reponse.content).walk("VEVENT")}


def test_le_flux_ne_montre_que_mes_inscriptions(client, equipe_nationale, chef_projet_cvl, territoire_cvl, bretagne):
    autre = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)
    inscrit = creer_evenement(equipe_nationale, titre="Inscrit")
    complet = creer_evenement(equipe_nationale, titre="En attente", capacite=1)
    annule = creer_evenement(equipe_nationale, titre="Annulé")
    creer_evenement(equipe_nationale, titre="Pas inscrit")
    actions.inscrire(evenement=inscrit, par=chef_projet_cvl)
    actions.inscrire(evenement=complet, par=autre)
    actions.inscrire(evenement=complet, par=chef_projet_cvl)
    actions.annuler(inscription=actions.inscrire(evenement=annule, par=chef_projet_cvl), par=chef_projet_cvl)

    client.force_login(chef_projet_cvl)
    assert "Créer mon adresse d’agenda" in client.get(URL).content.decode()
    client.post(URL)
    flux = FluxAgenda.objects.get(utilisateur=chef_projet_cvl)
    assert flux.get_absolute_url() in client.get(URL).content.decode()
    client.logout()  # calendar applications do not log in
    assert _titres(client, flux) == {"Atelier thématique : Inscrit"}


def test_renouveler_l_adresse_coupe_l_ancienne(client, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    client.post(URL)
    ancienne = FluxAgenda.objects.get().get_absolute_url()
    reponse = client.post(URL, follow=True)
    assert "l’ancienne ne fonctionne plus" in reponse.content.decode()
    nouvelle = FluxAgenda.objects.get().get_absolute_url()
    assert nouvelle != ancienne
    assert client.get(ancienne).status_code == 404 and client.get(nouvelle).status_code == 200
    assert Journal.objects.filter(action="animation.flux_agenda").count() == 2


def test_adresse_inconnue_ou_compte_desactive(client, chef_projet_cvl):
    assert client.get(reverse("animation:flux", args=["pas-un-jeton"])).status_code == 404
    flux = actions.renouveler_flux(par=chef_projet_cvl)
    chef_projet_cvl.is_active = False
    chef_projet_cvl.save()
    assert client.get(flux.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", [Role.PORTEUR, Role.CONSULTANT])
def test_hors_reseau_pas_d_agenda(client, db, role):
    client.force_login(utilisateur_avec(role, siret="91234567500017", organisme="Cabinet"))
    assert client.get(URL).status_code == 404 and client.post(URL).status_code == 404
    assert not FluxAgenda.objects.exists()


def test_flux_en_requetes_bornees(client, equipe_nationale, chef_projet_cvl, django_assert_max_num_queries):
    for i in range(20):
        actions.inscrire(evenement=creer_evenement(equipe_nationale, titre=f"Atelier {i}"), par=chef_projet_cvl)
    flux = actions.renouveler_flux(par=chef_projet_cvl)
    with django_assert_max_num_queries(4):
        assert len(_titres(client, flux)) == 20
