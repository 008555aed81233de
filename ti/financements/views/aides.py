"""The public aid pages: each dispositif as an applicant reads it, without an account (eligibility, volets, rates
and ceilings, pieces, timetable, contacts, regional envelopes), and the eligibility check before sign-up.

The check is the one of the filing (forms_depot.EligibiliteForm) without an account: nothing is created; the answers
wait in the session, so that the filing form starts from them once the account exists (decision 0054)."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from ti.comptes import permissions
from ti.core.navigation import fil_ariane
from ti.financements import eligibilite as regles
from ti.financements import selectors
from ti.financements.actions.depot import pieces_requises_du_volet
from ti.financements.forms_depot import EligibiliteForm
from ti.financements.models import Dispositif, PieceJointe, Volet

FACULTATIVES = (PieceJointe.Type.DEVIS, PieceJointe.Type.BILAN, PieceJointe.Type.AUTRE)
CHAMPS_REPRIS = ("intitule", "siret", "porteur_nom", "porteur_type", "volet")


def cle_de_session(dispositif: Dispositif) -> str:
    """Where the public check leaves its answers for the filing form (views/depot.eligibilite)."""
    return f"eligibilite:{dispositif.code}"


def _fil(courant: str, *liens) -> dict:
    return fil_ariane(courant, ("Aides aux projets", reverse("financements:aides")), *liens)


def liste(request):
    jour = timezone.localdate()
    dispositifs = list(Dispositif.objects.order_by("-cloture", "nom"))
    return render(
        request,
        "financements/aides/liste.html",
        {
            "ouverts": [d for d in dispositifs if d.est_ouvert(jour)],
            "autres": [d for d in dispositifs if not d.est_ouvert(jour)],
            "fil_ariane": fil_ariane("Aides aux projets"),
        },
    )


def _volets(dispositif: Dispositif) -> list[dict]:
    types = dict(regles.TYPES_DE_PORTEUR)
    return [
        {
            "libelle": Volet(volet).label,
            "porteurs": sorted(str(types[t]) for t in regles.PORTEURS_ADMIS.get(volet, ())),
            "pieces": [PieceJointe.Type(t).label for t in pieces_requises_du_volet(volet)],
        }
        for volet in dispositif.volets
        if volet in Volet.values
    ]


def _suite(request, siret: str = "", organisme: str = "") -> dict:
    """Where « Créer mon compte et déposer » leads: sign-up for a visitor, the filing for a porteur."""
    if not request.user.is_authenticated:
        return {
            "libelle": "Créer mon compte et déposer",
            "url": reverse("comptes:inscription") + "?" + urlencode({"siret": siret, "organisme": organisme}),
        }
    if permissions.peut(request.user, "deposer_dossier"):
        return {"libelle": "Déposer mon dossier", "url": None}  # the template links to the filing
    if permissions.peut(request.user, "revendiquer_siret"):
        return {"libelle": "Ajouter mon entreprise et déposer", "url": reverse("comptes:mes_entreprises")}
    return {}


def aide(request, code):
    dispositif = get_object_or_404(Dispositif, code=code)
    enveloppes = selectors.enveloppes_avec_jauges(
        dispositif.enveloppes.filter(annee=dispositif.annee).order_by("region__nom")
    )
    return render(
        request,
        "financements/aides/aide.html",
        {
            "dispositif": dispositif,
            "volets": _volets(dispositif),
            "pieces_facultatives": [
                PieceJointe.Type(t).label
                for t in (PieceJointe.Type.DEVIS, PieceJointe.Type.BILAN, PieceJointe.Type.AUTRE)
            ],
            "enveloppes": enveloppes,
            "totaux": selectors.totaux([e.jauge for e in enveloppes]),
            "ferme": regles.raison_dispositif_ferme(dispositif, timezone.localdate()),
            "suite": _suite(request),
            "fil_ariane": _fil(dispositif.nom),
        },
    )


def verifier_eligibilite(request, code):
    """The eligibility check anyone may run: the same rules as at filing, nothing written but the session."""
    dispositif = get_object_or_404(Dispositif, code=code)
    form = EligibiliteForm(
        request.POST or None,
        dispositif=dispositif,
        utilisateur=None,
        initial=request.session.get(cle_de_session(dispositif), {}),
    )
    resultat = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        request.session[cle_de_session(dispositif)] = {
            **{champ: d[champ] for champ in CHAMPS_REPRIS},
            "commune": f"{d['commune'].nom} ({d['commune'].code})",
            "territoire": d["territoire"].pk,
        }
        resultat = {
            "commune": d["commune"],
            "territoire": d["territoire"],
            "enveloppe": form.enveloppe,
            "jauge": selectors.jauge(form.enveloppe),
            "suite": _suite(request, siret=d["siret"], organisme=d["porteur_nom"]),
        }
    return render(
        request,
        "financements/aides/eligibilite.html",
        {
            "dispositif": dispositif,
            "form": form,
            "resultat": resultat,
            "ferme": regles.raison_dispositif_ferme(dispositif, timezone.localdate()),
            "fil_ariane": _fil("Vérifier l’éligibilité", (dispositif.nom, reverse("financements:aide", args=[code]))),
        },
        status=400 if form.errors else 200,
    )
