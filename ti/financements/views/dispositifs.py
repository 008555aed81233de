"""The dispositifs and their regional envelopes: read by the programme's agents, set by the national team."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ti.comptes import permissions
from ti.core.envois import une_seule_fois
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans
from ti.financements import selectors
from ti.financements.actions import enveloppes as actions
from ti.financements.forms_dispositifs import (
    MotifForm,
    ReferencesJuridiquesForm,
    RepartitionFormSet,
    SignataireForm,
    TransfertForm,
)
from ti.financements.models import Dispositif, Enveloppe, TransfertCredits, Volet
from ti.referentiel.models import Region

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def _exiger_agent(user):
    if not permissions.peut(user, "voir_dispositifs"):
        raise PermissionDenied("Ces pages sont réservées aux agents du programme.")


def _lien_liste():
    return ("Dispositifs de financement", reverse("financements:dispositifs"))


def _lien_dispositif(dispositif):
    return (dispositif.nom, reverse("financements:dispositif", args=[dispositif.code]))


@login_required
def liste(request):
    _exiger_agent(request.user)
    dispositifs = Dispositif.objects.annotate(
        total_enveloppes=Coalesce(Sum("enveloppes__montant"), ZERO),
        total_accorde=Coalesce(Sum("enveloppes__montant_accorde"), ZERO),
        nb_enveloppes=Count("enveloppes"),
    )
    return render(
        request,
        "financements/dispositifs.html",
        {
            "dispositifs": dispositifs,
            "peut_gerer": permissions.peut(request.user, "gerer_dispositif"),
            "fil_ariane": fil_ariane("Dispositifs de financement"),
        },
    )


@login_required
def detail(request, code):
    _exiger_agent(request.user)
    dispositif = get_object_or_404(Dispositif, code=code)
    enveloppes = selectors.enveloppes_avec_jauges(dispositif.enveloppes.order_by("annee", "region__nom"))
    for enveloppe in enveloppes:
        enveloppe.suivie = permissions.peut(request.user, "suivre_enveloppe", enveloppe)
        enveloppe.peut_signer = permissions.peut(request.user, "designer_signataire", enveloppe)
    transferts = (
        TransfertCredits.objects.filter(depuis__dispositif=dispositif)
        .select_related("depuis__region", "vers__region", "par")
        .order_by("-quand", "-pk")
    )
    totaux = selectors.totaux([e.jauge for e in enveloppes])
    return render(
        request,
        "financements/dispositif.html",
        {
            "dispositif": dispositif,
            "volets": [Volet(v).label for v in dispositif.volets if v in Volet.values],
            "enveloppes": enveloppes,
            "totaux": totaux,
            "a_repartir": dispositif.montant - totaux.montant,
            "transferts": transferts[:100],
            "peut_gerer": permissions.peut(request.user, "gerer_dispositif"),
            "fil_ariane": fil_ariane(dispositif.nom, _lien_liste()),
        },
    )


@login_required
def repartir(request, code):
    permissions.exiger(request.user, "gerer_dispositif")
    dispositif = get_object_or_404(Dispositif, code=code)
    annee = dispositif.annee
    existantes = list(Enveloppe.objects.filter(dispositif=dispositif).select_related("region"))
    de_l_annee = {e.region_id: e for e in existantes if e.annee == annee}
    hors_annee = sum((e.montant for e in existantes if e.annee != annee), Decimal("0"))
    regions = list(Region.objects.exclude(zone="com").order_by("nom"))
    regions += [e.region for e in de_l_annee.values() if e.region not in regions]  # an overseas collectivity's
    options = {
        "regions": regions,
        "accordes": {code_: e.montant_accorde for code_, e in de_l_annee.items()},
        "plafond": dispositif.montant,
        "hors_annee": hors_annee,
        "prefix": "enveloppes",
    }
    if request.method == "POST":
        formset = RepartitionFormSet(request.POST, **options)
        motif_form = MotifForm(request.POST)
        if formset.is_valid() and motif_form.is_valid():
            try:
                with transaction.atomic():
                    modifiees = [
                        e
                        for e in actions.repartir_enveloppes(
                            dispositif=dispositif,
                            annee=annee,
                            montants=formset.montants(),
                            par=request.user,
                            motif=motif_form.cleaned_data["motif"],
                        )
                        if e is not None
                    ]
            except actions.Refus as refus:
                formset._non_form_errors = formset.error_class([str(refus)])
            else:
                messages.success(request, f"Répartition enregistrée ({len(modifiees)} enveloppe(s) de {annee}).")
                return redirect("financements:dispositif", code=dispositif.code)
        total = formset.total_saisi()
    else:
        initial = [
            {"region": r.code, "montant": de_l_annee[r.code].montant if r.code in de_l_annee else None} for r in regions
        ]
        formset = RepartitionFormSet(initial=initial, **options)
        motif_form = MotifForm()
        total = sum((e.montant for e in de_l_annee.values()), Decimal("0"))
    if total is not None:
        total += hors_annee
    return render(
        request,
        "financements/dispositif_repartir.html",
        {
            "dispositif": dispositif,
            "formset": formset,
            "motif_form": motif_form,
            "total": total,
            "ecart": None if total is None else dispositif.montant - total,
            "depassement": None if total is None else max(total - dispositif.montant, Decimal("0")),
            "hors_annee": hors_annee,
            "fil_ariane": fil_ariane("Répartir les enveloppes", _lien_liste(), _lien_dispositif(dispositif)),
        },
    )


@login_required
@une_seule_fois
def transferer(request, code):
    permissions.exiger(request.user, "gerer_dispositif")
    dispositif = get_object_or_404(Dispositif, code=code)
    form = TransfertForm(request.POST or None, dispositif=dispositif)
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            transfert = actions.transferer_credits(par=request.user, **form.cleaned_data)
            messages.success(
                request,
                f"{actions.euros(transfert.montant)} transférés de {transfert.depuis.region.nom} "
                f"vers {transfert.vers.region.nom}.",
            )
            return redirect("financements:dispositif", code=dispositif.code)
    return render(
        request,
        "financements/dispositif_transferer.html",
        {
            "dispositif": dispositif,
            "form": form,
            "fil_ariane": fil_ariane("Transférer des crédits", _lien_liste(), _lien_dispositif(dispositif)),
        },
    )


def _formulaire_simple(request, *, form, action, succes: str, retour, titre: str, intro: str, fil):
    """A one-form page (signatory, legal references): the action's refusal stays on the form, nothing is lost."""
    if request.method == "POST" and form.is_valid():
        with refus_dans(form):
            action(**form.cleaned_data)
            messages.success(request, succes)
            return redirect(retour)
    return render(
        request,
        "financements/formulaire_simple.html",
        {"form": form, "titre": titre, "intro": intro, "retour": retour, "fil_ariane": fil},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def signataire(request, pk):
    enveloppe = get_object_or_404(Enveloppe.objects.select_related("region", "dispositif"), pk=pk)
    permissions.exiger(request.user, "designer_signataire", enveloppe)
    initial = {
        "qualite": enveloppe.signataire_qualite,
        "nom": enveloppe.signataire_nom,
        "siret": enveloppe.signataire_siret,
    }
    dispositif = enveloppe.dispositif
    return _formulaire_simple(
        request,
        form=SignataireForm(request.POST or None, initial=initial),
        action=lambda **d: actions.designer_signataire(enveloppe=enveloppe, par=request.user, **d),
        succes=f"Signataire des décisions de {enveloppe.region.nom} {enveloppe.annee} enregistré.",
        retour=reverse("financements:dispositif", args=[dispositif.code]),
        titre=f"Signataire des décisions — {enveloppe.region.nom} {enveloppe.annee}",
        intro=f"{dispositif.nom}. L’autorité qui signe les lettres de décision des dossiers de cette enveloppe : "
        "pour le Fonds vert, le préfet de région.",
        fil=fil_ariane("Signataire des décisions", _lien_liste(), _lien_dispositif(dispositif)),
    )


@login_required
def references_juridiques(request, code):
    permissions.exiger(request.user, "gerer_dispositif")
    dispositif = get_object_or_404(Dispositif, code=code)
    return _formulaire_simple(
        request,
        form=ReferencesJuridiquesForm(request.POST or None, initial={"references": dispositif.references_juridiques}),
        action=lambda **d: actions.fixer_references_juridiques(dispositif=dispositif, par=request.user, **d),
        succes="Références juridiques enregistrées.",
        retour=reverse("financements:dispositif", args=[dispositif.code]),
        titre=f"Références juridiques — {dispositif.nom}",
        intro="Les textes qui fondent l’aide ; les lettres de décision les citent.",
        fil=fil_ariane("Références juridiques", _lien_liste(), _lien_dispositif(dispositif)),
    )
