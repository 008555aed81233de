"""The instructors' workspace: the queue of dossiers, the envelope gauge and the year's programme exports."""

from decimal import Decimal
from urllib.parse import quote

import tablib
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from ti.comptes import permissions
from ti.core import formats
from ti.core.cache import pour_le_lecteur
from ti.core.exports import FORMATS_DE_TABLEAU, telechargement
from ti.core.navigation import fil_ariane
from ti.financements import selectors
from ti.financements.models import Dossier, Enveloppe, Statut, Volet
from ti.financements.selectors_file import (
    DELAI_RECEVABILITE_JOURS,
    FiltresFile,
    dossiers_de_la_file,
    enveloppes_suivies,
    marquer_retard,
    suivis_d_abord,
)
from ti.financements.views.avis_attendus import nombre_a_rendre

PAR_PAGE = 25
LIBELLES_STATUT = dict(Statut.choices)
LIBELLES_VOLET = dict(Volet.choices)
SURS_DANS_UN_CHEMIN = RFC3986_SUBDELIMS + ":@~"  # what reverse() leaves unquoted in a path segment
BADGES = {
    Statut.DEPOSE: "fr-badge--new",
    Statut.INCOMPLET: "fr-badge--warning",
    Statut.IRRECEVABLE: "fr-badge--error",
    Statut.EN_INSTRUCTION: "fr-badge--info",
    Statut.PROPOSE: "fr-badge--info",
    Statut.ACCEPTE: "fr-badge--success",
    Statut.REFUSE: "fr-badge--error",
    Statut.ENGAGE: "fr-badge--success",
    Statut.SOLDE: "fr-badge--success",
}


@login_required
def file(request):
    """The queue: the filed dossiers of the user's scope, filtered, sorted, paginated."""
    if not permissions.peut(request.user, "voir_file"):
        raise PermissionDenied("La file d’instruction est réservée aux instructeurs, experts et référents.")
    if (format_ := request.GET.get("export")) is not None:
        if format_ not in FORMATS_DE_TABLEAU:
            raise Http404("Format inconnu.")
        _, dossiers = _filtrer(request)
        return telechargement(tableau_file(dossiers, pour_csv=format_ == "csv"), format_, "file-d-instruction")
    # The list as this reader saw it, until the next write: filtered, counted and rendered once (decision 0068
    # « Suite, deuxième temps »); the filters' values are in the key, the follow-up marks his own.
    contenu = pour_le_lecteur(request.user, f"file:{request.GET.urlencode()}", lambda: _contenu_de_la_file(request))
    return render(
        request, "financements/file.html", {"contenu": contenu, "fil_ariane": fil_ariane("File d’instruction")}
    )


def _filtrer(request) -> tuple[FiltresFile, QuerySet]:
    form = FiltresFile(request.GET, user=request.user)  # every field is optional: no criteria is valid
    dossiers = dossiers_de_la_file(request.user)
    return form, form.filtrer(dossiers) if form.is_valid() else dossiers.none()  # a wrong filter: said, none listed


def _contenu_de_la_file(request) -> str:
    form, dossiers = _filtrer(request)
    page = Paginator(suivis_d_abord(dossiers), PAR_PAGE).get_page(request.GET.get("page"))
    marquer_retard(page.object_list)
    ecrire_lignes(page.object_list)
    return render_to_string(
        "financements/_file.html",
        {
            "form": form,
            "page_obj": page,
            "delai": DELAI_RECEVABILITE_JOURS,
            "enveloppes": enveloppes_suivies(request.user),
            "formats": FORMATS_DE_TABLEAU,
            "avis_a_rendre": nombre_a_rendre(request.user),
            "parametres": request.GET.urlencode(),
        },
        request,
    )


def ecrire_lignes(dossiers) -> None:
    """What each row of the queue shows, written here once for all: a {% url %}, a date filter, an amount filter and
    two choice lookups per row took a third of the page's rendering. The same text as those filters write."""
    avant, apres = reverse("financements:dossier", args=["REFERENCE"]).split("REFERENCE")
    for dossier in dossiers:
        dossier.lien = f"{avant}{quote(dossier.reference, safe=SURS_DANS_UN_CHEMIN)}{apres}"
        dossier.depose = formats.date_longue(dossier.depose_le) if dossier.depose_le else ""
        dossier.aide = None if dossier.aide_demandee is None else formats.nombre(dossier.aide_demandee, 2)
        dossier.etat = LIBELLES_STATUT.get(dossier.statut, dossier.statut)
        dossier.libelle_volet = LIBELLES_VOLET.get(dossier.volet, dossier.volet)
        dossier.badge = BADGES.get(dossier.statut, "")


def _enveloppe_suivie(request, pk) -> Enveloppe:
    enveloppe = get_object_or_404(Enveloppe.objects.select_related("dispositif", "region"), pk=pk)
    if not permissions.peut(request.user, "suivre_enveloppe", enveloppe):
        raise Http404("Enveloppe introuvable.")  # out of scope: it does not exist for this user
    return enveloppe


@login_required
def enveloppe(request, pk):
    enveloppe = _enveloppe_suivie(request, pk)
    jauge = selectors.jauge(enveloppe)
    nombres = dict(
        enveloppe.dossiers.exclude(statut=Statut.BROUILLON)
        .order_by()
        .values_list("statut")
        .annotate(nombre=Count("pk"))
    )
    par_statut = [
        {"code": code, "libelle": libelle, "nombre": nombres.get(code, 0), "badge": BADGES.get(code, "")}
        for code, libelle in Statut.choices
        if code != Statut.BROUILLON
    ]

    def part(montant: Decimal) -> int:
        return min(100, int(montant * 100 / jauge.montant)) if jauge.montant else 0

    return render(
        request,
        "financements/enveloppe.html",
        {
            "enveloppe": enveloppe,
            "jauge": jauge,
            "parts": {"accorde": part(jauge.accorde), "engage": part(jauge.engage), "verse": part(jauge.verse)},
            "par_statut": par_statut,
            "total_dossiers": sum(nombres.values()),
            "formats": FORMATS_DE_TABLEAU,
            "avis_a_rendre": nombre_a_rendre(request.user),
            "fil_ariane": fil_ariane(
                f"Enveloppe {enveloppe.region} {enveloppe.annee}", ("File d’instruction", reverse("financements:file"))
            ),
        },
    )


# The year's programme: every filed dossier of the envelope.

COLONNES_PROGRAMME = (
    "Référence",
    "Intitulé",
    "Porteur",
    "SIRET du porteur",
    "Territoire",
    "Commune",
    "Code INSEE",
    "Volet",
    "État",
    "Déposé le",
    "Coût total (€)",
    "Coût éligible (€)",
    "Aide demandée (€)",
    "Montant proposé (€)",
    "Montant accordé (€)",
    "Montant engagé (€)",
    "Montant versé (€)",
    "Numéro de convention",
    "Date de la convention",
)


def dossiers_du_programme(enveloppe: Enveloppe):
    return (
        Dossier.objects.filter(enveloppe=enveloppe)
        .exclude(statut=Statut.BROUILLON)
        .select_related("territoire", "commune")
        .order_by("reference")
    )


def _cellules(pour_csv: bool):
    """Amounts are numbers in XLSX and ODS; in CSV, a decimal comma (French Excel); dates ISO in CSV."""

    def montant(valeur):
        if valeur is None:
            return "" if pour_csv else None
        return str(valeur).replace(".", ",") if pour_csv else valeur

    def jour(valeur):
        if valeur is None:
            return "" if pour_csv else None
        if hasattr(valeur, "date"):
            valeur = timezone.localtime(valeur).date() if timezone.is_aware(valeur) else valeur.date()
        return valeur.isoformat() if pour_csv else valeur

    return montant, jour


def tableau_programme(enveloppe: Enveloppe, *, pour_csv: bool = False) -> tablib.Dataset:
    montant, jour = _cellules(pour_csv)
    donnees = tablib.Dataset(headers=list(COLONNES_PROGRAMME), title=f"Programme {enveloppe.annee}")
    for dossier in dossiers_du_programme(enveloppe):
        donnees.append(
            [
                dossier.reference,
                dossier.intitule,
                dossier.porteur_nom,
                dossier.porteur_siret,
                dossier.territoire.nom,
                dossier.commune.nom,
                dossier.commune.code,
                dossier.get_volet_display(),
                dossier.get_statut_display(),
                jour(dossier.depose_le),
                montant(dossier.cout_total),
                montant(dossier.cout_eligible),
                montant(dossier.aide_demandee),
                montant(dossier.montant_propose),
                montant(dossier.montant_accorde),
                montant(dossier.montant_engage),
                montant(dossier.montant_verse),
                dossier.convention_numero,
                jour(dossier.convention_date),
            ]
        )
    return donnees


@login_required
def programme(request, pk, format):
    if format not in FORMATS_DE_TABLEAU:
        raise Http404("Format inconnu.")
    enveloppe = _enveloppe_suivie(request, pk)
    donnees = tableau_programme(enveloppe, pour_csv=format == "csv")
    return telechargement(donnees, format, f"programme-fonds-vert-{enveloppe.region.code}-{enveloppe.annee}")


COLONNES_FILE = (
    "Référence",
    "Intitulé",
    "Porteur",
    "SIRET du porteur",
    "Territoire",
    "Volet",
    "État",
    "Déposé le",
    "Âge (jours)",
    "Aide demandée (€)",
    "Avis en attente",
    "Avis en retard",
    "Message du porteur sans réponse",
)


def tableau_file(dossiers, *, pour_csv: bool) -> tablib.Dataset:
    """The filtered queue, every page of it, in the order shown: one query, the counts annotated."""
    montant, jour = _cellules(pour_csv)
    donnees = tablib.Dataset(headers=list(COLONNES_FILE), title="File d’instruction")
    dossiers = list(dossiers)
    marquer_retard(dossiers)
    for dossier in dossiers:
        donnees.append(
            [
                dossier.reference,
                dossier.intitule,
                dossier.porteur_nom,
                dossier.porteur_siret,
                dossier.territoire.nom,
                dossier.get_volet_display(),
                dossier.get_statut_display(),
                jour(dossier.depose_le),
                "" if dossier.age is None else dossier.age,
                montant(dossier.aide_demandee),
                dossier.avis_en_attente,
                dossier.avis_en_retard,
                "oui" if dossier.message_du_porteur else "non",
            ]
        )
    return donnees
