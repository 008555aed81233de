"""The French error pages of the DSFR layout, also with DEBUG on (ti/core/erreurs.py)."""

import pytest
from django.urls import reverse

from tests.factories import ProjetFactory, TerritoireFactory, utilisateur_avec
from tests.html import lire
from ti.comptes.models import Role


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _page_introuvable(response):
    assert response.status_code == 404
    page = lire(response)
    assert page.h1() == "Page introuvable"
    assert page.titre == "Page introuvable — Territoires d’industrie"
    assert page.lien("Page d’accueil").href == "/"
    assert page.lien("Plan du site").href == reverse("core:plan_du_site")
    assert page.pied_de_page()["Mentions légales"] == reverse("core:mentions_legales")  # the whole layout is there
    return page


def test_un_territoire_inconnu_rend_la_page_francaise(client, db, debug):
    _page_introuvable(client.get(reverse("territoires:detail", args=["ti-inconnu"])))


def test_une_fiche_hors_perimetre_rend_la_page_francaise_sans_rien_en_dire(client, db, debug):
    fiche = ProjetFactory(titre="Fonderie de précision", public=False)
    lointain = utilisateur_avec(Role.CHEF_PROJET, territoire=TerritoireFactory())
    client.force_login(lointain)

    page = _page_introuvable(client.get(reverse("projets:detail", args=[fiche.pk])))

    assert "Fonderie de précision" not in page.texte
    assert "Mon espace" in [lien.texte for lien in page.liens]  # the signed-in layout, not an anonymous one


def test_une_adresse_sans_route_rend_la_page_francaise(client, db, debug):
    _page_introuvable(client.get("/cette-page-n-existe-pas/"))


def test_l_adresse_sans_barre_finale_est_toujours_redirigee(client, db, debug):
    response = client.get("/territoires")

    assert response.status_code == 301 and response["Location"] == "/territoires/"


def test_en_debug_la_page_technique_de_django_n_apparait_pas(client, db, settings):
    settings.DEBUG = True

    response = client.get(reverse("territoires:detail", args=["ti-inconnu"]))

    assert "Using the URLconf" not in response.content.decode()
    assert "Page introuvable" in lire(response).texte


def test_l_api_garde_ses_erreurs_en_json(client, db, debug):
    response = client.get("/api/v1/territoires/ti-inconnu")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_un_acces_refuse_rend_la_page_francaise(client, db, debug):
    client.force_login(utilisateur_avec(Role.PORTEUR, siret="91234567500017"))

    response = client.get(reverse("comptes:habilitations"))

    assert response.status_code == 403
    assert lire(response).h1() == "Accès refusé"
