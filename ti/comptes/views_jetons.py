"""« Jetons d'API » in Mon espace: a holder creates a token (its key shown once) and revokes it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from dsfr.forms import DsfrBaseForm

from ti.comptes import jetons
from ti.comptes.models import JetonApi


class JetonForm(DsfrBaseForm):
    nom = forms.CharField(
        label="Nom du jeton",
        help_text="À quoi il sert, pour le reconnaître plus tard : par exemple « Tableau de bord régional ».",
        max_length=100,
        error_messages={"required": "Donnez un nom au jeton, pour le reconnaître plus tard."},
    )


@login_required
@require_http_methods(["GET", "POST"])
def creer_jeton(request):
    form = JetonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            jeton, cle = jetons.creer_jeton(par=request.user, nom=form.cleaned_data["nom"])
        except jetons.Refus as refus:
            form.add_error(None, str(refus))
        else:
            # The key is in this answer only: no redirect that would carry it, and nothing kept by a cache.
            reponse = render(request, "comptes/jetons/cree.html", {"jeton": jeton, "cle": cle})
            reponse["Cache-Control"] = "no-store"
            return reponse
    return render(request, "comptes/jetons/creer.html", {"form": form})


@login_required
@require_POST
def revoquer_jeton(request, pk):
    jeton = get_object_or_404(JetonApi.objects.filter(utilisateur=request.user), pk=pk)  # someone else's: 404
    try:
        jetons.revoquer_jeton(par=request.user, jeton=jeton)
    except jetons.Refus as refus:
        messages.error(request, str(refus))
    else:
        messages.success(request, f"Jeton « {jeton.nom} » révoqué : il ne donne plus accès à l’API.")
    return redirect("comptes:mon_espace")
