"""Planning an event: the national team anywhere, a Conseil régional referent in his région only; bad input told."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ti.animation import actions
from ti.animation.models import Evenement
from ti.comptes.models import Role
from ti.core.models import Journal

from ..factories import utilisateur_avec

URL = reverse("animation:nouvel_evenement")
FORMAT = "%Y-%m-%dT%H:%M"


def _donnees(**champs):
    debut = timezone.localtime() + timedelta(days=20)
    return {
        "titre": "Atelier compétences",
        "type": "atelier",
        "debut": debut.strftime(FORMAT),
        "fin": (debut + timedelta(hours=2)).strftime(FORMAT),
        "cloture_inscriptions": (debut - timedelta(days=2)).strftime(FORMAT),
        "lieu": "Tours",
        "capacite": "20",
        **champs,
    }


def test_l_equipe_nationale_planifie(client, equipe_nationale):
    client.force_login(equipe_nationale)
    assert client.get(URL).status_code == 200
    reponse = client.post(URL, _donnees(jeton_envoi="jeton-planification-0001"))
    evenement = Evenement.objects.get()
    assert reponse["Location"] == evenement.get_absolute_url()
    assert client.post(URL, _donnees(jeton_envoi="jeton-planification-0001")).status_code == 302  # twice: once
    assert Evenement.objects.count() == 1
    assert evenement.organisateur == equipe_nationale and evenement.region is None and not evenement.public
    assert Journal.objects.filter(action="animation.evenement_planifie").count() == 1
    assert "Planifier un événement" in client.get(reverse("animation:programme")).content.decode()


def test_le_referent_regional_planifie_dans_sa_region_seulement(client, referent_region_cvl, cvl, bretagne):
    client.force_login(referent_region_cvl)
    reponse = client.post(URL, _donnees(region=bretagne.code))
    assert reponse.status_code == 200 and "Sélectionnez un choix valide" in reponse.content.decode()
    reponse = client.post(URL, _donnees())
    assert "Ce champ est obligatoire." in reponse.content.decode()  # his région, always
    assert not Evenement.objects.exists()
    client.post(URL, _donnees(region=cvl.code))
    assert Evenement.objects.get().region == cvl

    with pytest.raises(PermissionDenied):  # the action says it too, whatever the form
        actions.planifier(
            par=referent_region_cvl,
            titre="Ailleurs",
            type="atelier",
            debut=timezone.now(),
            fin=timezone.now(),
            cloture_inscriptions=timezone.now(),
            capacite=1,
            region=bretagne,
        )


@pytest.mark.parametrize("qui", ["chef_projet_cvl", "binome_cvl", "instructeur_cvl", "expert_ademe_cvl", "porteur"])
def test_les_autres_roles_ne_planifient_pas(client, request, qui, cvl):
    personne = (
        utilisateur_avec(Role.PORTEUR, siret="91234567500017") if qui == "porteur" else request.getfixturevalue(qui)
    )
    client.force_login(personne)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _donnees(region=cvl.code)).status_code == 403
    assert "Planifier un événement" not in client.get(reverse("animation:programme")).content.decode()
    assert not Evenement.objects.exists()


def test_anonyme_renvoye_a_la_connexion(client):
    assert reverse("comptes:connexion") in client.get(URL)["Location"]


def test_saisies_incoherentes_expliquees(client, equipe_nationale):
    client.force_login(equipe_nationale)
    debut = timezone.localtime() + timedelta(days=5)
    reponse = client.post(
        URL,
        _donnees(
            fin=(debut - timedelta(hours=1)).strftime(FORMAT),
            debut=debut.strftime(FORMAT),
            cloture_inscriptions=(debut + timedelta(days=1)).strftime(FORMAT),
            lieu="",
            capacite="0",
        ),
    )
    page = reponse.content.decode()
    assert "La fin doit suivre le début de l’événement." in page
    assert "La clôture des inscriptions doit précéder le début de l’événement." in page
    assert "Indiquez un lieu ou un lien de connexion." in page
    assert "Un événement compte au moins une place." in page
    assert not Evenement.objects.exists()
