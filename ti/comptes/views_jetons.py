"""« Jetons d'API » in Mon espace: a holder creates a token (its key shown once) and revokes it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ti.comptes import jetons
from ti.comptes.forms_securite import JetonForm
from ti.comptes.models import JetonApi
from ti.core.vues import refus_dans, refus_en_message


@login_required
@require_http_methods(["GET", "POST"])
def creer_jeton(request):
    form = JetonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            jeton, cle = jetons.creer_jeton(par=request.user, nom=form.cleaned_data["nom"])
            # The key is in this answer only: no redirect that would carry it, and nothing kept by a cache.
            reponse = render(request, "comptes/jetons/cree.html", {"jeton": jeton, "cle": cle})
            reponse["Cache-Control"] = "no-store"
            return reponse
    return render(request, "comptes/jetons/creer.html", {"form": form})


@login_required
@require_POST
def revoquer_jeton(request, pk):
    jeton = get_object_or_404(JetonApi.objects.filter(utilisateur=request.user), pk=pk)  # someone else's: 404
    with refus_en_message(request):
        jetons.revoquer_jeton(par=request.user, jeton=jeton)
        messages.success(request, f"Jeton « {jeton.nom} » révoqué : il ne donne plus accès à l’API.")
    return redirect("comptes:mon_espace")
