"""Whole pages kept for anonymous visitors (ti/core/cache_pages.py, decision 0060)."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.test import Client
from django.urls import reverse

from ti.comptes.models import Role
from ti.core.cache import generation_des_pages
from ti.core.cache_pages import ENTETE_ETAT, MARQUE_JETON, _sans_jetons
from ti.financements.views.aides import cle_de_session
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


FORMULAIRES_ANONYMES = ["comptes:connexion", "comptes:inscription", "comptes:mot_de_passe_oublie", "croisement:deposer"]


def jeton(page) -> str:
    (valeur,) = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page.content.decode()))
    return valeur


@pytest.mark.parametrize("nom", FORMULAIRES_ANONYMES)
def test_un_formulaire_anonyme_est_range_sans_jeton_et_chacun_recoit_le_sien(nom):
    premier, second = Client(), Client()
    rangee = premier.get(reverse(nom))
    servie = second.get(reverse(nom))

    assert (etat(rangee), etat(servie)) == ("rangee", "servie")
    (valeur,) = [cache.get(cle.split(":", 2)[2]) for cle in pages_rangees()]
    assert MARQUE_JETON in valeur["contenu"] and jeton(rangee).encode() not in valeur["contenu"]
    # Each visitor: a token of their own secret, in their own cookie.
    secrets = [client.cookies[settings.CSRF_COOKIE_NAME].value for client in (premier, second)]
    assert secrets[0] != secrets[1]
    assert _unmask_cipher_token(jeton(servie)) == secrets[1]
    assert "no-store" in servie["Cache-Control"] and "private" in servie["Cache-Control"]
    assert "ETag" not in servie


def test_le_jeton_servi_depuis_le_cache_fait_passer_le_formulaire(db):
    Client().get(reverse("comptes:connexion"))  # stores the page
    visiteur = Client(enforce_csrf_checks=True)
    page = visiteur.get(reverse("comptes:connexion"))
    assert etat(page) == "servie"

    reponse = visiteur.post(
        reverse("comptes:connexion"),
        {"username": "personne@exemple.fr", "password": "faux", "csrfmiddlewaretoken": jeton(page)},
    )

    assert reponse.status_code == 200  # the form's own refusal, not the CSRF 403
    assert "Saisissez" in reponse.content.decode() or "incorrect" in reponse.content.decode()


def test_un_visiteur_qui_a_deja_son_cookie_garde_son_secret(db):
    Client().get(reverse("comptes:connexion"))
    visiteur = Client()
    visiteur.get(reverse("territoires:liste"))
    visiteur.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32

    page = visiteur.get(reverse("comptes:connexion"))

    assert etat(page) == "servie"
    assert _unmask_cipher_token(jeton(page)) == "a" * 32
    assert visiteur.cookies[settings.CSRF_COOKIE_NAME].value == "a" * 32


@pytest.mark.parametrize(
    "page",
    [
        b'<input type="hidden" name="jeton_envoi" value="x"><input name="csrfmiddlewaretoken" value="{j}">',
        b'<input type="hidden" name="csrfmiddlewaretoken" value="{j}"><p data-j="{autre}"></p>',
        b'<p>{secret}</p><input type="hidden" name="csrfmiddlewaretoken" value="{j}">',
        b"<p>aucun formulaire</p>",
    ],
    ids=["jeton-d-envoi", "autre-jeton", "secret", "sans-jeton"],
)
def test_une_page_ou_un_jeton_resterait_n_est_jamais_rangee(rf, page):
    requete = rf.get("/")
    jeton_1, jeton_2 = get_token(requete), get_token(requete)
    secret = requete.META["CSRF_COOKIE"]
    contenu = page.replace(b"{j}", jeton_1.encode()).replace(b"{autre}", jeton_2.encode())
    reponse = HttpResponse(contenu.replace(b"{secret}", secret.encode()))

    assert _sans_jetons(requete, reponse) is None


def test_une_page_a_jetons_est_rangee_quand_ils_sont_tous_remplaces(rf):
    requete = rf.get("/")
    page = '<form><input type="hidden" name="csrfmiddlewaretoken" value="{}"></form>'
    reponse = HttpResponse(page.format(get_token(requete)) * 2)

    assert _sans_jetons(requete, reponse) == page.format(MARQUE_JETON.decode()).encode() * 2


def test_la_verification_d_eligibilite_garde_les_reponses_de_chacun(visiteur, territoire_cvl):
    """The blank form is stored (tokens replaced); whoever has answered has a session and never gets it."""
    dispositif = DispositifFactory()
    url = reverse("financements:verifier_eligibilite", args=[dispositif.code])
    assert etat(Client().get(url)) == "rangee"
    session = visiteur.session
    session[cle_de_session(dispositif)] = {"porteur_nom": "Forges Témoin"}
    session.save()

    page = visiteur.get(url)

    assert etat(page) is None
    assert 'value="Forges Témoin"' in page.content.decode()
    assert etat(Client().get(url)) == "servie"


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


def test_une_page_compressee_garde_son_etag_et_son_304(visiteur, territoire_cvl):
    """GZipMiddleware sends the ETag back weak (W/"…"): the browser returns it so, and still gets a 304."""
    url = reverse("territoires:liste")
    visiteur.get(url)
    compressee = visiteur.get(url, headers={"Accept-Encoding": "gzip"})
    assert etat(compressee) == "servie" and compressee["Content-Encoding"] == "gzip"
    assert compressee["ETag"].startswith('W/"')

    inchangee = visiteur.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": compressee["ETag"]})

    assert inchangee.status_code == 304
