"""Login, password, "mon espace", and the national team's pages for accounts and habilitations."""

from axes.utils import reset as lever_verrouillage
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from ti.comptes import actions, double_facteur, permissions
from ti.comptes.forms import (
    ChangementMotDePasseForm,
    CompteForm,
    ConnexionForm,
    DemandeReinitialisationForm,
    HabilitationForm,
    NouveauMotDePasseForm,
    RechercheUtilisateursForm,
    RevocationForm,
)
from ti.comptes.models import Habilitation, Utilisateur
from ti.core.envois import une_seule_fois
from ti.core.vues import refus_dans
from ti.territoires.models import Territoire

UTILISATEURS_PAR_PAGE = 50


# Login and password ----------------------------------------------------------------------------------------------


class Connexion(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        contexte["proconnect_echec"] = self.request.GET.get("proconnect") == "echec"
        if settings.PROCONNECT_ENABLED:
            contexte["url_proconnect"] = reverse("oidc_authentication_init")
        return contexte


class DemandeReinitialisation(auth_views.PasswordResetView):
    template_name = "comptes/mot_de_passe_oublie.html"
    form_class = DemandeReinitialisationForm
    success_url = reverse_lazy("comptes:mot_de_passe_envoye")


class ReinitialisationEnvoyee(auth_views.PasswordResetDoneView):
    template_name = "comptes/mot_de_passe_envoye.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "jours": settings.PASSWORD_RESET_TIMEOUT // 86400}


class NouveauMotDePasse(auth_views.PasswordResetConfirmView):
    template_name = "comptes/mot_de_passe_nouveau.html"
    form_class = NouveauMotDePasseForm
    success_url = reverse_lazy("comptes:mot_de_passe_enregistre")

    def form_valid(self, form):
        reponse = super().form_valid(form)
        # Whoever controls the mailbox may log in again at once, even after a lockout.
        lever_verrouillage(username=form.user.email)
        return reponse


class MotDePasseEnregistre(auth_views.PasswordResetCompleteView):
    template_name = "comptes/mot_de_passe_enregistre.html"


class ChangementMotDePasse(auth_views.PasswordChangeView):
    template_name = "comptes/mot_de_passe_changer.html"
    form_class = ChangementMotDePasseForm
    success_url = reverse_lazy("comptes:mot_de_passe_change")


class MotDePasseChange(auth_views.PasswordChangeDoneView):
    template_name = "comptes/mot_de_passe_change.html"


# Mon espace ------------------------------------------------------------------------------------------------------


@login_required
def mon_espace(request):
    mes_habilitations = permissions.habilitations(request.user)
    equipe_nationale = permissions.est_equipe_nationale(request.user)
    territoires = []
    if not equipe_nationale:  # the national team's scope is the whole list, linked as such
        territoires = Territoire.objects.du_perimetre(request.user).only("identifiant", "nom", "phase")
    return render(
        request,
        "comptes/mon_espace.html",
        {
            "habilitations": mes_habilitations,
            "equipe_nationale": equipe_nationale,
            "territoires": territoires,
            "peut_gerer": permissions.peut(request.user, "gerer_habilitations"),
            "roles": permissions.roles(request.user),
            "double_facteur": double_facteur.exige(request.user),
        },
    )


# Habilitations (national team) -----------------------------------------------------------------------------------


def _exiger_gestion(request) -> None:
    permissions.exiger(request.user, "gerer_habilitations")


def _habilitations_actives() -> Prefetch:
    return Prefetch(
        "habilitations",
        queryset=Habilitation.objects.actives().select_related("region", "territoire"),
        to_attr="habilitations_actives",
    )


@login_required
def habilitations(request):
    _exiger_gestion(request)
    filtres = RechercheUtilisateursForm(request.GET or None)
    utilisateurs = Utilisateur.objects.order_by("nom", "prenom", "email")
    if filtres.is_valid():
        q, role, region = (filtres.cleaned_data[k] for k in ("q", "role", "region"))
        if q:
            utilisateurs = utilisateurs.filter(
                Q(email__icontains=q) | Q(nom__icontains=q) | Q(prenom__icontains=q) | Q(organisation__icontains=q)
            )
        detenues = Habilitation.objects.actives()
        if role:
            detenues = detenues.filter(role=role)
        if region:
            detenues = detenues.filter(Q(region=region) | Q(territoire__regions=region))
        if role or region:
            utilisateurs = utilisateurs.filter(pk__in=detenues.values("utilisateur_id"))
    page = Paginator(utilisateurs.prefetch_related(_habilitations_actives()), UTILISATEURS_PAR_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "comptes/habilitations/liste.html", {"filtres": filtres, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
@une_seule_fois
def creer_compte(request):
    _exiger_gestion(request)
    form = CompteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            utilisateur = actions.creer_compte(par=request.user, **form.cleaned_data)
            messages.success(
                request, f"Compte ouvert. Un courriel a été envoyé à {utilisateur.email} pour choisir le mot de passe."
            )
            return redirect("comptes:utilisateur", pk=utilisateur.pk)
    return render(request, "comptes/habilitations/creer_compte.html", {"form": form})


@login_required
def utilisateur(request, pk):
    _exiger_gestion(request)
    personne = get_object_or_404(Utilisateur, pk=pk)
    toutes = personne.habilitations.select_related("region", "territoire", "accordee_par", "revoquee_par")
    return render(
        request,
        "comptes/habilitations/utilisateur.html",
        {
            "personne": personne,
            "actives": [h for h in toutes if h.active],
            "retirees": [h for h in toutes if not h.active],
            "peut_modifier": permissions.peut(request.user, "gerer_habilitations", personne),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@une_seule_fois
def accorder(request, pk):
    _exiger_gestion(request)
    personne = get_object_or_404(Utilisateur, pk=pk)
    form = HabilitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            habilitation = actions.accorder_habilitation(par=request.user, utilisateur=personne, **form.perimetre())
            messages.success(
                request, f"Habilitation accordée : {habilitation}. Un courriel en informe {personne.email}."
            )
            return redirect("comptes:utilisateur", pk=personne.pk)
    return render(
        request,
        "comptes/habilitations/accorder.html",
        {
            "personne": personne,
            "form": form,
            "soi_meme": personne.pk == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoquer(request, pk):
    _exiger_gestion(request)
    habilitation = get_object_or_404(
        Habilitation.objects.select_related("utilisateur", "region", "territoire", "accordee_par"), pk=pk
    )
    personne = habilitation.utilisateur
    form = RevocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            actions.revoquer_habilitation(par=request.user, habilitation=habilitation, **form.cleaned_data)
            messages.success(
                request, f"Habilitation retirée : {habilitation}. Un courriel en informe {personne.email}."
            )
            return redirect("comptes:utilisateur", pk=personne.pk)
    return render(
        request,
        "comptes/habilitations/revoquer.html",
        {"habilitation": habilitation, "personne": personne, "form": form},
    )
