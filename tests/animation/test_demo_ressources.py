"""The resource centre's and the directory's demo on the real territories: resources with versions, the workshop's
slides on its page, the replay, and the demo accounts who consented in the directory."""

import pytest
from django.urls import reverse

from ti.animation.demo import charger_animation_demo
from ti.animation.demo_ressources import ATELIER, FICHES, RESSOURCES, SUPPORTS
from ti.animation.models import Evenement
from ti.animation.models_annuaire import FicheAnnuaire
from ti.animation.models_ressources import Ressource

from .test_demo import cog, compte, demo  # noqa: F401  (the real territories and the demo accounts)

pytestmark = pytest.mark.usefixtures("cog")


def test_ressources_versions_et_annuaire(demo, client):  # noqa: F811
    assert Ressource.objects.count() == len(RESSOURCES) + 2
    guide = Ressource.objects.get(titre=RESSOURCES[0][0])
    assert list(guide.versions.values_list("numero", flat=True)) == [2, 1]
    assert FicheAnnuaire.objects.consenties().count() == len(FICHES)

    client.force_login(compte("chef-projet-est-loiret"))
    atelier = Evenement.objects.get(titre=ATELIER)
    assert SUPPORTS[0] in client.get(atelier.get_absolute_url()).content.decode()
    page = client.get(reverse("animation:ressources"), {"q": "décarbonation"}).content.decode()
    assert RESSOURCES[1][0] in page
    assert "Cheffe de projet Territoires d’industrie" in client.get(reverse("animation:annuaire")).content.decode()
    assert client.get(reverse("animation:telecharger", args=[guide.pk])).status_code == 200

    client.logout()  # the public sees the public guide only
    page = client.get(reverse("animation:ressources")).content.decode()
    assert RESSOURCES[0][0] in page and RESSOURCES[1][0] not in page


def test_la_demo_des_ressources_se_recharge_sans_doublon(demo):  # noqa: F811
    nombre = Ressource.objects.count()
    charger_animation_demo()
    assert Ressource.objects.count() == nombre and FicheAnnuaire.objects.count() == len(FICHES)
