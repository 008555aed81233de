"""Whole pages kept for anonymous visitors (ti/core/cache_pages.py, decision 0060)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ti.comptes.models import Role
from ti.core.cache import generation_des_pages
from ti.core.cache_pages import ENTETE_ETAT
from ti.territoires.models import Territoire

from ..factories import DispositifFactory, TerritoireFactory, utilisateur_avec

pytestmark = pytest.mark.django_db


def etat(response) -> str | None:
    return response.headers.get(ENTETE_ETAT)


def pages_rangees() -> list[str]:
    return [cle for cle in cache._cache if ":ti:pages:" in cle]  # locmem: the keys it holds


@pytest.fixture
def visiteur():
    return Client()


@pytest.mark.parametrize(
    "adresse",
    [
        lambda t: reverse("accueil"),
        lambda t: reverse("territoires:liste"),
        lambda t: reverse("territoires:detail", args=[t.identifiant]),
        lambda t: reverse("territoires:commune") + "?q=Montargis",
        lambda t: reverse("foncier:catalogue"),
        lambda t: reverse("animation:programme"),
        lambda t: reverse("financements:aides"),
        lambda t: "/api/v1/territoires",
        lambda t: "/api/v1/projets",
    ],
    ids=["accueil", "territoires", "territoire", "commune", "sites", "programme", "aides", "api_ter", "api_proj"],
)
def test_page_publique_servie_par_le_cache_sans_requete(
    visiteur, territoire_cvl, adresse, django_assert_max_num_queries
):
    url = adresse(territoire_cvl)
    premiere = visiteur.get(url)
    assert premiere.status_code == 200
    assert etat(premiere) == "rangee"
    with django_assert_max_num_queries(0):
        seconde = visiteur.get(url)
    assert etat(seconde) == "servie"
    assert seconde.content == premiere.content
    assert b"csrfmiddlewaretoken" not in seconde.content  # a page with a token sets its cookie: never stored
    for nom, texte in premiere.items():  # the CSP and X-Frame-Options of the later middlewares too
        if nom not in {"Date", ENTETE_ETAT}:
            assert seconde[nom] == texte, nom
    assert "Content-Security-Policy" in seconde and seconde["X-Frame-Options"] == "DENY"
    assert "public" in seconde["Cache-Control"] and "max-age" in seconde["Cache-Control"]
    assert "Cookie" in seconde["Vary"]


def test_une_ecriture_se_voit_a_la_visite_suivante(visiteur, territoire_cvl, django_capture_on_commit_callbacks):
    url = reverse("territoires:detail", args=[territoire_cvl.identifiant])
    visiteur.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        territoire_cvl.nom = "Montargois en Gâtinais"
        territoire_cvl.save()
    page = visiteur.get(url)
    assert etat(page) == "rangee"
    assert "Montargois en Gâtinais" in page.content.decode()


def test_une_ecriture_hors_des_chiffres_perime_aussi_les_pages(visiteur, territoire_cvl):
    """An aid scheme is read by no cached figure, but the aid pages show it."""
    url = reverse("financements:aides")
    assert "Fonds de démonstration" not in visiteur.get(url).content.decode()
    DispositifFactory(nom="Fonds de démonstration")
    page = visiteur.get(url)
    assert etat(page) == "rangee"
    assert "Fonds de démonstration" in page.content.decode()


def test_une_ecriture_en_masse_par_le_web_perime_les_pages(client, visiteur, territoire_cvl):
    """A view may write through `QuerySet.update()`, which sends no signal: its successful POST bumps anyway."""
    url = reverse("territoires:liste")
    visiteur.get(url)
    Territoire.objects.filter(pk=territoire_cvl.pk).update(nom="Renommé sans signal")
    avant = generation_des_pages()
    client.force_login(utilisateur_avec(Role.PORTEUR))
    assert client.post(reverse("comptes:deconnexion")).status_code == 302
    assert generation_des_pages() > avant
    assert "Renommé sans signal" in visiteur.get(url).content.decode()


def test_une_requete_d_ecriture_refusee_ne_perime_rien(visiteur, territoire_cvl):
    avant = generation_des_pages()
    assert Client(enforce_csrf_checks=True).post(reverse("comptes:deconnexion")).status_code == 403
    assert generation_des_pages() == avant


def test_une_personne_connectee_n_a_jamais_la_page_anonyme(client, visiteur, territoire_cvl):
    visiteur.get(reverse("accueil"))
    client.force_login(utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl))
    page = client.get(reverse("accueil"))
    assert etat(page) is None
    assert "Se déconnecter" in page.content.decode()


def test_la_page_d_une_personne_connectee_n_est_jamais_rangee(client, visiteur, territoire_cvl):
    client.force_login(utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl))
    client.get(reverse("accueil"))
    assert pages_rangees() == []
    page = visiteur.get(reverse("accueil"))
    assert etat(page) == "rangee"
    assert "Se déconnecter" not in page.content.decode()


@pytest.mark.parametrize("nom", ["comptes:connexion", "comptes:inscription", "comptes:mot_de_passe_oublie"])
def test_les_formulaires_a_jeton_csrf_ne_sont_jamais_ranges(visiteur, nom):
    premiere = visiteur.get(reverse(nom))
    seconde = visiteur.get(reverse(nom))
    assert premiere.status_code == seconde.status_code == 200
    assert "csrfmiddlewaretoken" in seconde.content.decode()
    assert etat(premiere) is None and etat(seconde) is None
    assert pages_rangees() == []


def test_la_verification_d_eligibilite_n_est_jamais_rangee(visiteur, territoire_cvl):
    dispositif = DispositifFactory()
    url = reverse("financements:verifier_eligibilite", args=[dispositif.code])
    visiteur.get(url)
    assert etat(visiteur.get(url)) is None
    assert pages_rangees() == []


def test_une_erreur_n_est_jamais_rangee(visiteur, db):
    visiteur.get("/territoires/inconnu/")
    assert visiteur.get("/territoires/inconnu/").status_code == 404
    assert pages_rangees() == []


def test_un_jeton_d_api_passe_a_cote_du_cache(visiteur, territoire_cvl):
    visiteur.get("/api/v1/projets")
    reponse = visiteur.get("/api/v1/projets", headers={"Authorization": "Bearer inconnu"})
    assert reponse.status_code == 401
    assert etat(reponse) is None


def test_parametres_dans_un_autre_ordre_meme_page(visiteur, territoire_cvl):
    base = reverse("territoires:commune")
    visiteur.get(base + "?q=Montargis&page=1")
    assert etat(visiteur.get(base + "?page=1&q=Montargis")) == "servie"
    assert etat(visiteur.get(base + "?q=Lorient&page=1")) == "rangee"


def test_etag_et_head(visiteur, territoire_cvl):
    url = reverse("territoires:liste")
    etag = visiteur.get(url)["ETag"]
    inchangee = visiteur.get(url, headers={"If-None-Match": etag})
    assert inchangee.status_code == 304 and inchangee.content == b""
    tete = visiteur.head(url)
    assert etat(tete) == "servie" and tete.content == b"" and int(tete["Content-Length"]) > 0
    TerritoireFactory(nom="Nouveau")
    assert visiteur.get(url, headers={"If-None-Match": etag}).status_code == 200
