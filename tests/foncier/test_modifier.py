"""A territory keeps its site up to date: the chef de projet and the national team edit it, journalled."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.factories import utilisateur_avec
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.foncier.actions import CHAMPS_MODIFIABLES
from ti.foncier.models import Site


def formulaire(site, **changements):
    donnees = {
        cle: valeur for cle, valeur in model_to_dict(site, fields=CHAMPS_MODIFIABLES).items() if valeur is not None
    }
    for case in ("disponible_immediatement", "icpe_purgee", "archeologie_purgee", "inventaire_quatre_saisons",
                 "embranchement_fer", "acces_portuaire", "eau", "tres_haut_debit"):  # fmt: skip
        if not donnees.get(case):
            donnees.pop(case, None)  # an unticked box is not sent
    donnees.update(changements)
    return donnees


def modifier(client, site, donnees):
    return client.post(reverse("foncier:modifier_site", args=[site.identifiant]), donnees)


def test_le_chef_de_projet_met_a_jour_la_puissance_et_la_disponibilite(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    donnees = formulaire(site_cvl, puissance_mw="36", motif="Poste source renforcé")
    del donnees["disponible_immediatement"]
    donnees["disponible_le"] = "2027-03-01"

    reponse = modifier(client, site_cvl, donnees)

    assert reponse.status_code == 302
    site = Site.objects.get()
    assert (str(site.puissance_mw), str(site.disponible_le), site.disponible_immediatement) == (
        "36.0",
        "2027-03-01",
        False,
    )
    entree = Journal.objects.get(action="foncier.site_modifie")
    assert set(entree.details) == {"puissance_mw", "disponible_le", "disponible_immediatement"}
    assert entree.motif == "Poste source renforcé"


def test_sans_date_ni_disponibilite_immediate(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    donnees = formulaire(site_cvl)
    del donnees["disponible_immediatement"]

    reponse = modifier(client, site_cvl, donnees)

    assert "Donnez la date de disponibilité, ou cochez « disponible immédiatement »." in reponse.content.decode()
    assert Site.objects.get().disponible_immediatement is True


def test_surface_utile_plus_grande_que_la_brute_refusee(client, site_cvl, equipe_nationale):
    client.force_login(equipe_nationale)

    reponse = modifier(client, site_cvl, formulaire(site_cvl, surface_utile="40"))

    assert "La surface utile ne peut pas dépasser la surface brute." in reponse.content.decode()
    assert Site.objects.get().surface_utile == 25
    assert not Journal.objects.filter(action="foncier.site_modifie").exists()


@pytest.mark.parametrize("personne", ["binome_cvl", "instructeur_cvl", "chef_ailleurs"])
def test_les_autres_ne_modifient_pas(client, request, site_cvl, territoire_bretagne, personne):
    if personne == "chef_ailleurs":
        utilisateur = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)
    else:
        utilisateur = request.getfixturevalue(personne)
    client.force_login(utilisateur)

    assert client.get(reverse("foncier:modifier_site", args=[site_cvl.identifiant])).status_code == 403
    assert modifier(client, site_cvl, formulaire(site_cvl, nom="Pris")).status_code == 403
    assert Site.objects.get().nom == "Parc industriel d’Amilly"
