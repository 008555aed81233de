"""The network's space: threads by theme and région, replies, subscriptions, reports and moderation, attachments;
for the network's members only (others: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ti.animation import actions_echanges as actions
from ti.animation.forms import FilForm, MotifForm, ReponseForm
from ti.animation.models import Abonnement, Fil, Theme
from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans, refus_en_message
from ti.referentiel.models import Region

ECHANGES = ("Échanges du réseau", reverse_lazy("animation:fils"))
PAR_PAGE = 50


def _fils(request):
    if not permissions.peut(request.user, "echanger_reseau"):
        raise Http404  # out of the network: the space does not exist for you
    return Fil.objects.visible_to(request.user)


def _fil(request, pk: int) -> Fil:
    return get_object_or_404(_fils(request).select_related("auteur", "region"), pk=pk)


def _message(fil: Fil, reponse_pk: int | None):
    """The question (no reply key) or one of the thread's replies."""
    return None if reponse_pk is None else get_object_or_404(fil.reponses.select_related("auteur"), pk=reponse_pk)


@login_required
def fils(request):
    fils = _fils(request).select_related("auteur", "region").annotate(nb_reponses=Count("reponses"))
    theme, region = request.GET.get("theme"), request.GET.get("region")
    regions = list(Region.objects.order_by("nom"))
    if theme in Theme.values:
        fils = fils.filter(theme=theme)
    else:
        theme = None
    if region in {r.code for r in regions}:
        fils = fils.filter(region_id=region)
    else:
        region = None
    return render(
        request,
        "animation/fils.html",
        {
            "fils": fils[:PAR_PAGE],
            "themes": Theme.choices,
            "theme": theme,
            "regions": regions,
            "region": region,
            "fil_ariane": fil_ariane(ECHANGES[0]),
        },
    )


@login_required
@une_seule_fois
def fil(request, pk: int):
    fil = _fil(request, pk)
    form = ReponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form, fichier="fichier"):
            reponse = actions.repondre(fil=fil, par=request.user, **form.cleaned_data)
            messages.success(request, "Votre réponse est publiée ; les personnes qui suivent ce fil en sont prévenues.")
            return redirect(reponse)
    return render(
        request,
        "animation/fil.html",
        {
            "fil": fil,
            "reponses": fil.reponses.select_related("auteur"),
            "form": form,
            "suivi": Abonnement.objects.filter(fil=fil, utilisateur=request.user).exists(),
            "moderateur": permissions.peut(request.user, "moderer_echanges", fil),
            "fil_ariane": fil_ariane(fil.titre, ECHANGES),
        },
    )


@login_required
@une_seule_fois
def nouveau_fil(request):
    _fils(request)
    form = FilForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fil = actions.ouvrir_fil(par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            form.add_error("fichier", erreur)
        else:
            messages.success(request, "Votre question est publiée dans l’espace du réseau ; vous suivez ce fil.")
            return redirect(fil)
    return render(
        request, "animation/nouveau_fil.html", {"form": form, "fil_ariane": fil_ariane("Poser une question", ECHANGES)}
    )


@login_required
@require_POST
def suivre(request, pk: int):
    fil = _fil(request, pk)
    suivi = request.POST.get("suivi") == "1"
    actions.suivre(fil=fil, par=request.user, suivi=suivi)
    if suivi:
        messages.success(request, "Vous suivez ce fil : vous serez prévenu de chaque nouvelle réponse.")
    else:
        messages.success(request, "Vous ne suivez plus ce fil.")
    return redirect(fil)


def _geste_sur_un_message(request, fil: Fil, reponse_pk: int | None, geste, succes: str):
    """Report or hide a message (the question when no reply key is given) with the reason typed."""
    message = _message(fil, reponse_pk)
    form = MotifForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez un motif (300 caractères au plus) : rien n’a été enregistré.")
        return redirect(message or fil)
    with refus_en_message(request):
        geste(fil=fil, reponse=message, par=request.user, motif=form.cleaned_data["motif"])
        messages.success(request, succes)
    return redirect(message or fil)


@login_required
@require_POST
def signaler(request, pk: int, reponse: int | None = None):
    fil = _fil(request, pk)
    return _geste_sur_un_message(
        request, fil, reponse, actions.signaler, "Merci : le message est signalé à la modération du réseau."
    )


@login_required
@require_POST
def masquer(request, pk: int, reponse: int | None = None):
    fil = _fil(request, pk)
    permissions.exiger(request.user, "moderer_echanges", fil)
    return _geste_sur_un_message(
        request, fil, reponse, actions.masquer, "Le message est masqué ; le motif est affiché à sa place."
    )


@login_required
@require_POST
def verrouiller(request, pk: int):
    fil = _fil(request, pk)
    permissions.exiger(request.user, "moderer_echanges", fil)
    verrouille = request.POST.get("verrouille") == "1"
    with refus_en_message(request):
        actions.verrouiller(fil=fil, par=request.user, verrouille=verrouille, motif=request.POST.get("motif", ""))
        messages.success(request, "Le fil est verrouillé." if verrouille else "Le fil accepte de nouveau les réponses.")
    return redirect(fil)


@login_required
def piece_jointe(request, pk: int, reponse: int | None = None):
    """An attachment, once the antivirus has cleared it; never that of a hidden message (404)."""
    fil = _fil(request, pk)
    message = _message(fil, reponse) or fil
    if not message.piece_jointe_servable:
        raise Http404
    try:
        contenu = message.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier est introuvable.") from None
    reponse_http = FileResponse(
        contenu, as_attachment=True, filename=message.nom_fichier, content_type=message.type_mime
    )
    reponse_http["X-Content-Type-Options"] = "nosniff"
    return reponse_http
