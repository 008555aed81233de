"""The second factor's pages: enrolment of an authenticator application, the code at login, the recovery codes."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ti.comptes import double_facteur
from ti.comptes.forms_securite import ActivationForm, CodeForm
from ti.core.exports import piece_jointe

CODES_A_MONTRER = "codes_de_secours_a_montrer"  # in the session, until their holder says they are kept


def _suite(request) -> str:
    suite = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(suite, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return suite
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _sans_cache(reponse: HttpResponse) -> HttpResponse:
    reponse["Cache-Control"] = "no-store"  # a secret or recovery codes: nothing kept by a cache
    return reponse


@login_required
@require_http_methods(["GET", "POST"])
def activer(request):
    """Enrolment: the QR code and the secret of a new device, confirmed by its first code."""
    if not double_facteur.exige(request.user):  # the other roles are never asked a code: nothing to enrol
        return redirect("comptes:mon_espace")
    if double_facteur.application(request.user):
        return redirect(f"{reverse('comptes:double_facteur')}?{request.GET.urlencode()}")
    appareil = double_facteur.application_a_confirmer(request.user)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = double_facteur.confirmer_application(
                request=request, appareil=appareil, code=form.cleaned_data["code"]
            )
        except double_facteur.Refus as refus:
            form.add_error("code", str(refus))
        else:
            request.session[CODES_A_MONTRER] = codes
            messages.success(request, "Double authentification activée.")
            return redirect(f"{reverse('comptes:codes_de_secours')}?{urlencode({'next': _suite(request)})}")
    contexte = {
        "form": form,
        "qr_code": double_facteur.qr_code_svg(appareil),
        "secret": double_facteur.secret_lisible(appareil),
        "suite": _suite(request),
    }
    return _sans_cache(render(request, "comptes/double_facteur/activer.html", contexte))


@login_required
@require_http_methods(["GET", "POST"])
def verifier(request):
    if request.user.is_verified():
        return redirect(_suite(request))
    if not double_facteur.application(request.user):
        return redirect("comptes:double_facteur_activer")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            double_facteur.verifier(request=request, code=form.cleaned_data["code"])
        except double_facteur.Refus as refus:
            form.add_error("code", str(refus))
        else:
            return redirect(_suite(request))
    return render(request, "comptes/double_facteur/verifier.html", {"form": form, "suite": _suite(request)})


@login_required
@require_http_methods(["GET", "POST"])
def codes_de_secours(request):
    """Shows new recovery codes, once: they leave the session when their holder says they are kept."""
    if request.method == "POST":
        request.session.pop(CODES_A_MONTRER, None)
        return redirect(_suite(request))
    contexte = {
        "codes": request.session.get(CODES_A_MONTRER),
        "restants": double_facteur.codes_restants(request.user),
        "suite": _suite(request),
    }
    return _sans_cache(render(request, "comptes/double_facteur/codes_de_secours.html", contexte))


@login_required
def telecharger_codes_de_secours(request):
    codes = request.session.get(CODES_A_MONTRER)
    if not codes:
        messages.info(request, "Ces codes ne sont plus affichables : générez-en de nouveaux si besoin.")
        return redirect("comptes:codes_de_secours")
    texte = "Codes de secours — Territoires d’industrie\n{}\nChaque code ne sert qu’une fois.\n\n{}\n".format(
        request.user.email, "\n".join(codes)
    )
    fichier = piece_jointe(texte, "text/plain; charset=utf-8", "codes-de-secours-territoires-industrie.txt")
    return _sans_cache(fichier)


@login_required
@require_POST
def regenerer_codes_de_secours(request):
    if not request.user.is_verified():  # only a session that gave the second factor
        return redirect("comptes:double_facteur")
    request.session[CODES_A_MONTRER] = double_facteur.regenerer_codes_de_secours(par=request.user)
    messages.success(request, "Nouveaux codes de secours générés : les précédents ne fonctionnent plus.")
    return redirect("comptes:codes_de_secours")
