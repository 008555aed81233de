"""A site's territories (from the perimeters, both phases) and its status, kept by its territory's chef de projet."""

import pytest
from django.urls import reverse

from tests.factories import TerritoireFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.foncier.models import Site, StatutSite
from ti.territoires.models import Phase


def changer(client, site, statut, motif=""):
    return client.post(reverse("foncier:statut_site", args=[site.identifiant]), {"statut": statut, "motif": motif})


def test_les_territoires_des_deux_phases_viennent_de_la_commune(site_cvl, territoire_cvl, montargis):
    temps1 = TerritoireFactory(phase=Phase.TEMPS_1, code="2401", communes=[montargis])
    TerritoireFactory(phase=Phase.TEMPS_2, code="2499")  # elsewhere

    assert list(site_cvl.territoires()) == [temps1, territoire_cvl]


def test_le_chef_de_projet_commercialise_son_site(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)

    reponse = changer(client, site_cvl, "commercialise", "Premier prospect")

    assert reponse.status_code == 302
    site_cvl.refresh_from_db()
    assert site_cvl.statut == StatutSite.COMMERCIALISE
    entree = Journal.objects.get(action="foncier.statut_site")
    assert (entree.acteur, entree.details, entree.motif) == (
        chef_projet_cvl,
        {"de": "labellise", "vers": "commercialise"},
        "Premier prospect",
    )


@pytest.mark.parametrize("personne", ["binome_cvl", "instructeur_cvl", "chef_ailleurs"])
def test_les_autres_ne_changent_pas_le_statut(client, request, site_cvl, territoire_bretagne, personne):
    if personne == "chef_ailleurs":
        utilisateur = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)
    else:
        utilisateur = request.getfixturevalue(personne)
    client.force_login(utilisateur)

    assert changer(client, site_cvl, "commercialise").status_code == 403
    assert Site.objects.get().statut == StatutSite.LABELLISE


def test_l_equipe_nationale_garde_tous_les_sites(client, site_cvl, equipe_nationale):
    client.force_login(equipe_nationale)
    page = client.get(site_cvl.get_absolute_url()).content.decode()
    assert "Changer le statut" in page

    changer(client, site_cvl, "commercialise")
    assert Site.objects.get().statut == StatutSite.COMMERCIALISE


def test_un_saut_d_etat_est_refuse(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)

    reponse = changer(client, site_cvl, "occupe")

    messages = [str(m) for m in reponse.wsgi_request._messages]
    assert messages == ["Un site « labellisé » ne peut pas passer à « occupé »."]
    assert Site.objects.get().statut == StatutSite.LABELLISE
    assert not Journal.objects.filter(action="foncier.statut_site").exists()
