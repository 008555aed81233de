"""Whole responses kept for anonymous visitors, until the next write (docs/decisions/0060-cache-des-pages-publiques.md).

Most visitors are anonymous and see the same page: `PagesPubliquesEnCache` serves it again from the shared cache
instead of rendering it for each of them. It sits before the sessions in MIDDLEWARE, so a hit costs no SQL query.

- **Who**: a GET or HEAD without a session cookie, a messages cookie or an `Authorization` header. Anyone who has a
  session (signed in, or in the middle of a sign-up) passes by the cache both ways: never served a cached page,
  never stores one.
- **What is stored**: a 200, not streamed, that sets no cookie but the CSRF one, that no view marked private or
  `no-store`, for a user that was still anonymous at the end, under a bounded size.
- **Forms of anonymous visitors** (sign-in, sign-up, forgotten password, the cross-file tool): the page is stored
  with each CSRF token replaced by a mark, and the mark replaced on each hit by a token of the visitor's own secret
  (their `csrftoken` cookie, or a new one set with the response), by Django's own CSRF middleware: no token is ever
  shared. Such a page says `Cache-Control: private, no-store` (no browser or proxy keeps a token), and is never
  stored when it holds a one-time form token (ti/core/envois.py) or the secret itself.
- **Key**: the scheme and host, the path, the query string normalised (parameters sorted by name, values in their
  order), the language, the HTMX headers, and the pages' generation (`ti.core.cache.generation_des_pages`): every
  write bumps it (`ti.core.invalidation`), and so does every successful write request (POST…), whatever the
  view wrote, even through a bulk query that sends no signal. The generation is read before the view: a page
  rendered while a write commits is stored under a generation nobody reads any more.
- **HTTP**: the stored responses say `Cache-Control: public, max-age=DUREE_NAVIGATEUR` (unless the view said
  more), `Vary: Cookie` (a browser or proxy never gives the anonymous page to a signed-in user) and an `ETag`; a
  request that sends it back gets a 304 without the body.
"""

import hashlib
import re
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, get_token
from django.utils import translation
from django.utils.cache import get_max_age, patch_cache_control, patch_vary_headers

from ti.core.cache import DUREE_PAGES, generation_des_pages, invalider_pages
from ti.core.envois import CHAMP as CHAMP_ENVOI

DUREE = DUREE_PAGES  # seconds kept on the server: the safety net for writes made outside a request (a job, a command)
DUREE_NAVIGATEUR = 60  # seconds a browser or proxy may keep it without asking again
TAILLE_MAX = 2 * 1024 * 1024  # bytes: a bigger answer is rendered each time rather than fill the cache
ENTETES_HTMX = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "HX-Current-URL")
# Every header of the response is kept (the CSP and X-Frame-Options of the middlewares after this one included),
# but these: the length is set again, a cookie is never stored.
ENTETES_NON_GARDES = {"content-length", "set-cookie", "date"}
METHODES_SURES = {"GET", "HEAD", "OPTIONS", "TRACE"}
ENTETE_ETAT = "X-Cache-Pages"  # « servie » or « rangee », for the tests and for whoever reads the headers
MARQUE_JETON = b"__ti_jeton_csrf__"
CHAMP_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
JETON_POSSIBLE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _anonyme(request) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _exclue(chemin: str) -> bool:
    return any(chemin.startswith(prefixe) for prefixe in settings.PAGES_HORS_CACHE)


def cle(request, generation: int) -> str:
    parametres = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True), key=lambda p: p[0])
    htmx = "|".join(request.headers.get(nom, "") for nom in ENTETES_HTMX)
    langue = translation.get_language_from_request(request)
    brut = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(parametres)}#{langue}#{htmx}"
    return f"ti:pages:{generation}:{hashlib.sha256(brut.encode()).hexdigest()}"


def _a_ranger(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:  # a session (CSRF_USE_SESSIONS included): never
        return False
    if len(response.content) > TAILLE_MAX:
        return False
    controle = response.get("Cache-Control", "").lower()
    marquee = any(mot in controle for mot in ("private", "no-store", "no-cache"))
    if marquee and not (getattr(response, "formulaire_anonyme", False) and response.cookies):
        return False
    utilisateur = getattr(request, "user", None)
    return not (utilisateur is not None and utilisateur.is_authenticated)


def formulaire_anonyme(vue):
    """For a view that Django marks `never_cache` (sign-in, forgotten password) because its page holds a CSRF token,
    though it is the same for every anonymous visitor but the token: the page cache may keep it, tokens replaced
    (browsers and proxies are still told `private, no-store`)."""

    @wraps(vue)
    def vue_marquee(request, *args, **kwargs):
        response = vue(request, *args, **kwargs)
        response.formulaire_anonyme = True
        return response

    return vue_marquee


def _sans_jetons(request, response) -> bytes | None:
    """The page with each CSRF token replaced by the mark; None if a token of this visitor's secret, the secret, or a
    one-time form token would remain in it (it would be shown to the next visitors)."""
    contenu, remplaces = CHAMP_CSRF.subn(rb"\1" + MARQUE_JETON + rb"\2", response.content)
    secret = request.META.get("CSRF_COOKIE", "")
    if not remplaces or not secret or secret.encode() in contenu or CHAMP_ENVOI.encode() in contenu:
        return None
    if any(_unmask_cipher_token(jeton.decode()) == secret for jeton in JETON_POSSIBLE.findall(contenu)):
        return None
    return contenu


def _ranger(request, response) -> dict | None:
    contenu = response.content
    jetons = settings.CSRF_COOKIE_NAME in response.cookies
    if jetons:
        contenu = _sans_jetons(request, response)
        if contenu is None:
            return None
        patch_cache_control(response, private=True, no_store=True)
    elif get_max_age(response) is None:
        patch_cache_control(response, public=True, max_age=DUREE_NAVIGATEUR)
    patch_vary_headers(response, ("Cookie",))
    if not jetons:
        response["ETag"] = f'"{hashlib.sha256(contenu).hexdigest()[:32]}"'
    entetes = {nom: texte for nom, texte in response.items() if nom.lower() not in ENTETES_NON_GARDES}
    return {"contenu": contenu, "entetes": entetes, "charset": response.charset, "jetons": jetons}


def _page(valeur: dict, contenu: bytes, head: bool) -> HttpResponse:
    response = HttpResponse(b"" if head else contenu, charset=valeur["charset"])
    for nom, texte in valeur["entetes"].items():
        response[nom] = texte
    response["Content-Length"] = str(len(contenu))
    return response


def _reponse(request, valeur: dict):
    head = request.method == "HEAD"
    if valeur.get("jetons"):
        csrf = CsrfViewMiddleware(lambda request: None)  # Django's own, as for a page it renders
        csrf.process_request(request)  # the visitor's secret, when their cookie holds one
        contenu = valeur["contenu"].replace(MARQUE_JETON, get_token(request).encode())
        response = csrf.process_response(request, _page(valeur, contenu, head))  # sets or renews their cookie
    elif request.headers.get("If-None-Match") == valeur["entetes"]["ETag"]:
        response = HttpResponseNotModified()
        for nom in ("ETag", "Cache-Control", "Vary"):
            response[nom] = valeur["entetes"][nom]
    else:
        response = _page(valeur, valeur["contenu"], head)
    response[ENTETE_ETAT] = "servie"
    return response


class PagesPubliquesEnCache:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODES_SURES:
            response = self.get_response(request)
            if response.status_code < 400:  # a write made through the web: every stored page may be stale
                invalider_pages()
            return response
        if request.method not in {"GET", "HEAD"} or not _anonyme(request) or _exclue(request.path):
            return self.get_response(request)
        cle_page = cle(request, generation_des_pages())
        valeur = cache.get(cle_page)
        if valeur is not None:
            return _reponse(request, valeur)
        response = self.get_response(request)
        if request.method == "GET" and _a_ranger(request, response) and (valeur := _ranger(request, response)):
            cache.set(cle_page, valeur, DUREE)
            response[ENTETE_ETAT] = "rangee"
        return response
