"""Self-service accounts: sign-up, confirmation of the address, « Mes entreprises » (SIRET claims), and the national
team's list of claims. The rules live in ti/comptes/inscription.py."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ti.comptes import inscription, permissions
from ti.comptes.forms import InscriptionForm, RenvoiLienForm, RevendicationForm
from ti.comptes.models import Habilitation, Role
from ti.core.etats import Refus
from ti.core.navigation import fil_ariane

TROP_D_ENVOIS = "Trop de demandes envoyées depuis votre connexion : réessayez dans une demi-heure."
REVENDICATIONS_PAR_PAGE = 50


@require_http_methods(["GET", "POST"])
def inscription_page(request):
    if request.user.is_authenticated:
        demandeur = permissions.peut(request.user, "revendiquer_siret")
        return redirect("comptes:mes_entreprises" if demandeur else "comptes:mon_espace")
    initial = {cle: request.GET.get(cle, "")[:200] for cle in ("siret", "organisme")}
    form = InscriptionForm(request.POST or None, initial=initial)
    statut = 200
    if request.method == "POST":
        if not inscription.accepter_un_envoi(request):
            form.is_valid()
            form.add_error(None, TROP_D_ENVOIS)
            statut = 429
        elif form.is_valid():
            d = form.cleaned_data
            try:
                consultation = inscription.consulter_annuaire(d["siret"]) if d["siret"] else None
            except Refus as refus:
                form.add_error("siret", str(refus))
            else:
                inscription.inscrire(
                    email=d["email"],
                    prenom=d["prenom"],
                    nom=d["nom"],
                    mot_de_passe=d["mot_de_passe"],
                    consultation=consultation,
                    organisme=d["organisme"],
                )
                request.session["inscription_email"] = d["email"]
                return redirect("comptes:inscription_envoyee")
        if statut == 200:
            statut = 400
    return render(request, "comptes/inscription/inscription.html", {"form": form}, status=statut)


def inscription_envoyee(request):
    """The same page whether the address was new or known (no enumeration of accounts)."""
    return render(
        request,
        "comptes/inscription/envoyee.html",
        {"email": request.session.get("inscription_email", ""), "form": RenvoiLienForm()},
    )


@require_http_methods(["GET", "POST"])
def confirmer_inscription(request, jeton):
    """GET shows a button, POST activates: a mail scanner opening the link activates nothing."""
    if request.method == "POST":
        try:
            utilisateur = inscription.confirmer(jeton=jeton)
        except Refus as refus:
            return render(
                request,
                "comptes/inscription/confirmer.html",
                {"erreur": str(refus), "form": RenvoiLienForm()},
                status=400,
            )
        login(request, utilisateur, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre adresse est confirmée et votre compte activé.")
        return redirect("comptes:mes_entreprises")
    return render(request, "comptes/inscription/confirmer.html", {"jeton": jeton})


@require_POST
def renvoyer_lien(request):
    form = RenvoiLienForm(request.POST)
    if not inscription.accepter_un_envoi(request):
        form.is_valid()
        form.add_error(None, TROP_D_ENVOIS)
        return render(request, "comptes/inscription/envoyee.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "comptes/inscription/envoyee.html", {"form": form}, status=400)
    inscription.renvoyer_lien(email=form.cleaned_data["email"])
    request.session["inscription_email"] = form.cleaned_data["email"]
    messages.info(
        request, "Si un compte attend sa confirmation à cette adresse, un nouveau lien vient d’y être envoyé."
    )
    return redirect("comptes:inscription_envoyee")


@login_required
@require_http_methods(["GET", "POST"])
def mes_entreprises(request):
    """Not `une_seule_fois`: the directory is asked outside any transaction, and a second post of the same SIRET is
    refused by the action with its reason."""
    permissions.exiger(request.user, "revendiquer_siret")
    form = RevendicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            habilitation = inscription.revendiquer_siret(par=request.user, **form.cleaned_data)
        except Refus as refus:
            form.add_error("siret", str(refus))
        else:
            messages.success(
                request,
                f"SIRET {habilitation.siret} ajouté à votre compte : vous pouvez déposer des dossiers pour "
                f"{habilitation.organisme or 'cette entreprise'}.",
            )
            return redirect("comptes:mes_entreprises")
    entreprises = Habilitation.objects.filter(utilisateur=request.user, role=Role.PORTEUR).order_by("-accordee_le")
    from ti.financements.models import Dispositif  # the accounts app sits below the funding one

    jour = timezone.localdate()
    return render(
        request,
        "comptes/inscription/mes_entreprises.html",
        {
            "form": form,
            "entreprises": list(entreprises),
            "dispositifs_ouverts": list(Dispositif.objects.filter(ouverture__lte=jour, cloture__gte=jour)),
            "fil_ariane": fil_ariane("Mes entreprises", ("Mon espace", reverse("comptes:mon_espace"))),
        },
        status=400 if form.errors else 200,
    )


@login_required
def revendications(request):
    """The national team's list of SIRETs claimed by their holders, the ones « à vérifier » first."""
    permissions.exiger(request.user, "gerer_habilitations")
    toutes = (
        Habilitation.objects.filter(revendiquee=True)
        .select_related("utilisateur", "revoquee_par")
        .order_by(F("revoquee_le").asc(nulls_first=True), "verification", "-accordee_le", "-pk")
    )
    page = Paginator(toutes, REVENDICATIONS_PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "comptes/habilitations/revendications.html", {"page_obj": page})
