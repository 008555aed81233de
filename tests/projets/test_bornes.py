"""Business bounds on every quantity of a fiche-action (issue 9, item 7): the form and the database refuse what no
project can be, so that the programme's sums stay exact (SQLite raised « integer overflow » on SUM)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import ProjetFactory
from ti.core.champs import EMPLOIS_MAX
from ti.projets.models import Projet

from .saisie_fiche import saisie_nouvelle

pytestmark = pytest.mark.django_db


def url_creer(territoire):
    return reverse("projets:creer", args=[territoire.identifiant])


@pytest.mark.parametrize(
    ("champ", "saisie", "message"),
    [
        ("emplois_crees", "9223372036854775807", "La valeur dépasse le plafond de 100\u00a0000 emplois : vérifiez-la."),
        ("emplois_maintenus", "100001", "La valeur dépasse le plafond de 100\u00a0000 emplois : vérifiez-la."),
        ("tco2e_evitees", "10 000 000,01", "La valeur dépasse le plafond de 10\u00a0000\u00a0000 tCO2e : vérifiez-la."),
        ("hectares", "100 000,5", "La valeur dépasse le plafond de 100\u00a0000 ha : vérifiez-la."),
        ("budget", "10 000 000 001", "La valeur dépasse le plafond de 10\u00a0000\u00a0000\u00a0000 € : vérifiez-la."),
        (
            "investissement",
            "20 000 000 000",
            "La valeur dépasse le plafond de 10\u00a0000\u00a0000\u00a0000 € : vérifiez-la.",
        ),
    ],
)
def test_la_fiche_refuse_une_quantite_hors_des_bornes(client, chef_projet, territoire_projets, champ, saisie, message):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(**{champ: saisie}))
    assert reponse.status_code == 200
    assert reponse.context["form"].errors[champ] == [message]
    assert not Projet.objects.exists()


def test_la_fiche_accepte_les_bornes_elles_memes(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(
        url_creer(territoire_projets), saisie_nouvelle(emplois_crees=str(EMPLOIS_MAX), hectares="100 000")
    )
    assert reponse.status_code == 302
    assert Projet.objects.get().emplois_crees == EMPLOIS_MAX


@pytest.mark.parametrize("champ", ["emplois_crees", "emplois_maintenus"])
def test_la_base_refuse_des_emplois_hors_des_bornes_quel_que_soit_le_chemin(territoire_projets, champ):
    """Bulk writes and imports do not run the validators: the CHECK constraint does the same job."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjetFactory(territoire=territoire_projets, **{champ: EMPLOIS_MAX + 1})
