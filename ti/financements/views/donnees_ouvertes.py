"""Open data: the awarded grants in SCDL (`subventions`, docs/decisions/0015-file-et-scdl.md) and the past Fonds
vert awards (`fonds_vert`: how much went to Territoires d'industrie, docs/decisions/0016-attributions-fonds-vert.md)."""

from decimal import Decimal

import tablib
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ti.core.exports import FORMATS_DE_TABLEAU, telechargement
from ti.core.navigation import fil_ariane
from ti.financements import scdl, selectors_fonds_vert


def subventions(request):
    """The awarded grants (SCDL Subventions 2.1.1), public: a table page by page and the CSV of the API."""
    page = Paginator(scdl.subventions_attribuees(), SUBVENTIONS_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "financements/subventions.html",
        {
            "page_obj": page,
            "lignes": [scdl.ligne_affichee(dossier) for dossier in page.object_list],
            "sans_attribuant": scdl.sans_attribuant(),
            "fil_ariane": fil_ariane("Subventions attribuées"),
        },
    )


SUBVENTIONS_PAR_PAGE = 50


# Past Fonds vert awards. Public: the list is open data. Tables download with `?annee=…&tableau=…&format=…`.

TOP_TERRITOIRES_FONDS_VERT = 20


def fonds_vert(request):
    annees = selectors_fonds_vert.par_annee()
    if not annees:
        return render(request, "financements/fonds_vert.html", {"annees": []})
    par_annee = {ligne["annee"]: ligne for ligne in annees}
    try:
        annee = int(request.GET.get("annee") or annees[0]["annee"])
    except ValueError:
        raise Http404("Année inconnue.") from None
    if annee not in par_annee:
        raise Http404("Aucune attribution du Fonds vert n’a été importée pour cette année.")
    synthese = par_annee[annee]
    regions = selectors_fonds_vert.par_region(annee)
    territoires = selectors_fonds_vert.par_territoire(annee, synthese["montant"])
    tableaux = {
        "annees": lambda: _fonds_vert_annees(annees),
        "regions": lambda: _fonds_vert_regions(regions, annee),
        "territoires": lambda: _fonds_vert_territoires(territoires, annee),
    }
    format_ = request.GET.get("format")
    if format_ is not None:
        tableau = request.GET.get("tableau", "territoires")
        if format_ not in FORMATS_DE_TABLEAU or tableau not in tableaux:
            raise Http404("Ce tableau n’existe pas dans ce format.")
        nom = f"fonds-vert-{tableau}" if tableau == "annees" else f"fonds-vert-{annee}-{tableau}"
        return telechargement(_fonds_vert_pour_le_format(tableaux[tableau](), format_), format_, nom)
    return render(
        request,
        "financements/fonds_vert.html",
        {
            "annees": annees,
            "annee": annee,
            "synthese": synthese,
            "provenance": selectors_fonds_vert.provenance(annee),
            "regions": regions,
            "territoires": territoires[:TOP_TERRITOIRES_FONDS_VERT],
            "nb_territoires": len(territoires),
            "top": TOP_TERRITOIRES_FONDS_VERT,
            "formats": [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("ods", "OpenDocument (ODS)")],
        },
    )


DOSSIERS_PAR_PAGE = 50


def dossiers_fonds_vert(request):
    """The year's dossiers with their total and their lines (commune, beneficiary, amount, territories)."""
    try:
        annee = int(request.GET.get("annee", ""))
    except ValueError:
        raise Http404("Précisez l’année (?annee=AAAA).") from None
    groupes = request.GET.get("groupes") == "1"
    page = Paginator(selectors_fonds_vert.dossiers(annee, groupes=groupes), DOSSIERS_PAR_PAGE).get_page(
        request.GET.get("page")
    )
    fonds_vert = (
        "Le Fonds vert dans les territoires d’industrie",
        f"{reverse('financements:fonds_vert')}?annee={annee}",
    )
    return render(
        request,
        "financements/fonds_vert_dossiers.html",
        {
            "annee": annee,
            "groupes": groupes,
            "page_obj": page,
            "fil_ariane": fil_ariane(f"Dossiers {annee}", fonds_vert),
        },
    )


def _fonds_vert_annees(annees: list[dict]) -> tablib.Dataset:
    donnees = tablib.Dataset(
        headers=[
            "Année",
            "Attributions",
            "Montant engagé (€)",
            "Dans un territoire d’industrie (€)",
            "Part (%)",
            "Territoires Temps I (€)",
            "Territoires Temps II (€)",
            "Non placées",
        ],
        title="Années",
    )
    for ligne in annees:
        donnees.append(
            [
                ligne["annee"],
                ligne["nombre"],
                ligne["montant"],
                ligne["montant_ti"],
                _pourcentage(ligne["part_ti"]),
                ligne["montant_phase_1"],
                ligne["montant_phase_2"],
                ligne["non_placees"],
            ]
        )
    return donnees


def _fonds_vert_regions(regions: list[dict], annee: int) -> tablib.Dataset:
    donnees = tablib.Dataset(
        headers=[
            "Région",
            "Code",
            "Attributions",
            "Montant engagé (€)",
            "Dans un territoire d’industrie (€)",
            "Part (%)",
            "Non placées",
        ],
        title=f"Régions {annee}",
    )
    for ligne in regions:
        donnees.append(
            [
                ligne["region__nom"] or "Région inconnue",
                ligne["region__code"] or "",
                ligne["nombre"],
                ligne["montant"],
                ligne["montant_ti"],
                _pourcentage(ligne["part_ti"]),
                ligne["non_placees"],
            ]
        )
    return donnees


def _fonds_vert_territoires(territoires: list[dict], annee: int) -> tablib.Dataset:
    donnees = tablib.Dataset(
        headers=["Territoire", "Identifiant", "Phase", "Attributions", "Montant engagé (€)", "Part du total (%)"],
        title=f"Territoires {annee}",
    )
    for ligne in territoires:
        donnees.append(
            [
                ligne["territoire__nom"],
                ligne["territoire__identifiant"],
                ligne["territoire__phase"],
                ligne["nombre"],
                ligne["montant"],
                _pourcentage(ligne["part"]),
            ]
        )
    return donnees


def _pourcentage(valeur):
    return "" if valeur is None else round(valeur, 2)


def _fonds_vert_pour_le_format(donnees: tablib.Dataset, format_: str) -> tablib.Dataset:
    """XLSX and ODS hold numbers; the CSV is written for French Excel (BOM, `;`, decimal comma), as elsewhere
    (docs/decisions/0011-chiffres-projets.md), with names that a spreadsheet would run as formulas neutralised."""
    if format_ != "csv":
        return donnees

    def cellule(valeur):
        if isinstance(valeur, Decimal):
            return f"{valeur:.2f}".replace(".", ",")  # two decimals whatever the backend's SUM returned
        return valeur

    return tablib.Dataset(*[[cellule(v) for v in ligne] for ligne in donnees], headers=donnees.headers)
