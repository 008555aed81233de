"""Figures of fiches-action: a territory's (for everybody, over the fiches they see), a région's (its agents and the
national team), the programme's (national team). Each table downloads as CSV, XLSX or ODS with `?tableau=…&format=…`.
"""

from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode

import tablib
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from ti.comptes import permissions
from ti.core.exports import FORMATS_DE_TABLEAU, telechargement
from ti.core.navigation import fil_ariane
from ti.projets import selectors_chiffres as selectors
from ti.projets.models import Projet, StatutPhase
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

LIBELLES_DES_FORMATS = [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("ods", "OpenDocument (ODS)")]
TOP_TERRITOIRES = 20


# Traceability: each count links to the search, filtered so that it lists the very fiches counted.


def _lien_recherche(request, base: dict):
    """A function: filters → the URL of the search that lists the very fiches counted: the one search shows what
    `Projet.objects.visible_to` lets the person see, as the figures do."""
    adresse = reverse("projets:annuaire")
    return lambda **filtres: f"{adresse}?{urlencode({**base, **filtres})}"


def _avec_liens(chiffres: dict, lien) -> dict:
    chiffres["lien"] = lien()
    for ligne in chiffres["par_axe"]:
        ligne["lien"] = lien(axe=ligne["code"])
    for ligne in chiffres["par_theme"]:
        ligne["lien"] = lien(theme=ligne["code"])
    for ligne in chiffres["par_statut"]:
        ligne["lien"] = lien(statut=ligne["code"])
    for phase in chiffres["par_phase"]:
        phase["lien"] = lien(phase=phase["code"])
        for ligne in phase["statuts"]:
            ligne["lien"] = lien(phase=phase["code"], statut=ligne["code"])
    return chiffres


# Exports: the same tables, one per file. XLSX and ODS hold numbers; CSV is written for French Excel, as the plan's
# export is (docs/decisions/0008-plan-action.md): UTF-8 with a BOM, `;` separator, decimal comma, no thousands sign.


def _nombre(valeur):
    return "" if valeur is None else valeur


def _pour_csv(valeur):
    if isinstance(valeur, Decimal):
        return str(valeur).replace(".", ",")
    return valeur


def _pour_le_format(donnees: tablib.Dataset, format_: str) -> tablib.Dataset:
    """XLSX and ODS hold numbers; the CSV, written for French Excel, decimal commas."""
    if format_ != "csv":
        return donnees
    return tablib.Dataset(*[[_pour_csv(v) for v in ligne] for ligne in donnees], headers=donnees.headers)


def _synthese(chiffres: dict) -> tablib.Dataset:
    financement, impact = chiffres["financement"], chiffres["impact"]
    donnees = tablib.Dataset(headers=["Indicateur", "Valeur", "Unité"], title="Synthèse")
    for ligne in [
        ("Fiches-action", chiffres["fiches"], "fiches"),
        ("Fiches-action dont le budget est renseigné", chiffres["fiches_avec_budget"], "fiches"),
        ("Budget total", chiffres["budget"], "€"),
        ("Financements sollicités", financement["sollicite"], "€"),
        ("Financements acquis", financement["acquis"], "€"),
        ("Financements refusés", financement["refuse"], "€"),
        ("Part du budget sécurisée (financements acquis)", chiffres["part_securisee"], "%"),
        ("Emplois créés attendus", impact["emplois_crees"], "emplois"),
        ("Emplois maintenus attendus", impact["emplois_maintenus"], "emplois"),
        ("Investissement attendu", impact["investissement"], "€"),
        ("Émissions évitées", impact["tco2e_evitees"], "tCO2e par an"),
        ("Foncier recyclé ou économisé", impact["hectares"], "ha"),
    ]:
        donnees.append([ligne[0], _nombre(ligne[1]), ligne[2]])
    return donnees


def _repartition(lignes: list, entete: str, titre: str) -> tablib.Dataset:
    donnees = tablib.Dataset(headers=[entete, "Code", "Fiches-action"], title=titre)
    for ligne in lignes:
        donnees.append([ligne["libelle"], ligne["code"], ligne["nombre"]])
    return donnees


def _phases(chiffres: dict) -> tablib.Dataset:
    donnees = tablib.Dataset(
        headers=["Phase", "Code", *[statut.label for statut in StatutPhase], "Total"], title="Phases et statuts"
    )
    for phase in chiffres["par_phase"]:
        donnees.append([phase["libelle"], phase["code"], *[s["nombre"] for s in phase["statuts"]], phase["nombre"]])
    return donnees


COLONNES_CHIFFREES = [
    "Fiches-action",
    "Budget (€)",
    "Financements acquis (€)",
    "Part sécurisée (%)",
    "Emplois créés",
    "Emplois maintenus",
]


def _chiffres_de_la_ligne(ligne) -> list:
    return [
        ligne.nb_fiches,
        ligne.budget,
        ligne.acquis,
        _nombre(ligne.part_securisee),
        ligne.emplois_crees,
        ligne.emplois_maintenus,
    ]


def _territoires(territoires: list) -> tablib.Dataset:
    donnees = tablib.Dataset(headers=["Territoire", "Identifiant", *COLONNES_CHIFFREES], title="Territoires")
    for territoire in territoires:
        donnees.append([territoire.nom, territoire.identifiant, *_chiffres_de_la_ligne(territoire)])
    return donnees


def _regions(regions: list) -> tablib.Dataset:
    donnees = tablib.Dataset(headers=["Région", "Code", "Territoires", *COLONNES_CHIFFREES], title="Régions")
    for region in regions:
        donnees.append([region.nom, region.code, region.nb_territoires, *_chiffres_de_la_ligne(region)])
    return donnees


def _tableaux(chiffres: Callable[[], dict]) -> dict:
    """The tables every figures page shows, by the name `?tableau=` gives them; `chiffres()` is read only when one
    of them is asked for."""
    return {
        "synthese": lambda: _synthese(chiffres()),
        "axes": lambda: _repartition(chiffres()["par_axe"], "Axe", "Axes"),
        "themes": lambda: _repartition(chiffres()["par_theme"], "Thème", "Thèmes"),
        "phases": lambda: _phases(chiffres()),
    }


def _export(request, tableaux: dict, prefixe: str) -> HttpResponse | None:
    """The requested table as a file, or None when the page itself is asked for. Unknown names are a 404."""
    format_ = request.GET.get("format")
    if format_ is None:
        return None
    tableau = request.GET.get("tableau", "synthese")
    if format_ not in FORMATS_DE_TABLEAU or tableau not in tableaux:
        raise Http404("Ce tableau n’existe pas dans ce format.")
    donnees = _pour_le_format(tableaux[tableau](), format_)
    return telechargement(donnees, format_, f"chiffres-projets-{prefixe}-{tableau}")


# The tables of the région's and the programme's pages are kept as HTML with their figures, in the same cache entry
# (the people who see the same fiches, `en_cache_pour`; the same invalidation): seventy territories of a région are
# seventy rows of formatted amounts and links, whose rendering cost more than the rest of the page. Nothing in them
# depends on the person beyond what the key says (no user, no request, no token).


# The pages.


def territoire(request, identifiant):
    territoire = get_object_or_404(
        Territoire.objects.visible_to(request.user).prefetch_related("regions"), identifiant=identifiant
    )
    equipe = permissions.peut(request.user, "voir_suivi_projets", territoire)
    projets = Projet.objects.visible_to(request.user).filter(territoire=territoire)
    chiffres = selectors.en_cache_pour(
        request.user, f"territoire:{territoire.pk}", lambda: selectors.chiffres_projets(projets)
    )
    export = _export(request, _tableaux(lambda: chiffres), territoire.identifiant)
    if export:
        return export
    lien = _lien_recherche(request, {"territoire": territoire.identifiant})
    return render(
        request,
        "projets/chiffres_territoire.html",
        {
            "territoire": territoire,
            "chiffres": _avec_liens(chiffres, lien),
            "publiques_seulement": not equipe,
            "formats": LIBELLES_DES_FORMATS,
            "fil_ariane": fil_ariane(
                "Chiffres des projets",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )


@login_required
def region(request, code):
    if not selectors.voit_les_chiffres_de_la_region(request.user, code):
        raise Http404("Cette région n’est pas dans votre périmètre.")  # out of scope: 404, as for any record
    region = get_object_or_404(Region, code=code)
    projets = selectors.projets_de_la_region(Projet.objects.visible_to(request.user), region)

    def calcul():  # the figures, their links to the search, their tables rendered
        chiffres, territoires = selectors.chiffres_projets(projets), selectors.par_territoire(projets)
        lien = _lien_recherche(request, {"region": region.code})
        for ligne in territoires:
            ligne.lien = lien(territoire=ligne.identifiant)
        contexte = {"chiffres": _avec_liens(chiffres, lien), "territoires": territoires}
        contexte["formats"] = LIBELLES_DES_FORMATS
        return contexte | {"tableaux": render_to_string("projets/chiffres_region_tableaux.html", contexte)}

    page = selectors.en_cache_pour(request.user, f"region:{region.code}:page", calcul)
    tableaux = _tableaux(lambda: page["chiffres"]) | {"territoires": lambda: _territoires(page["territoires"])}
    export = _export(request, tableaux, f"region-{region.code}")
    if export:
        return export
    return render(
        request,
        "projets/chiffres_region.html",
        page
        | {
            "region": region,
            "tableaux": mark_safe(page["tableaux"]),
            "equipe_nationale": permissions.est_equipe_nationale(request.user),
            "fil_ariane": fil_ariane(
                "Chiffres des projets",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (region.nom, region.get_absolute_url()),
            ),
        },
    )


@login_required
def national(request):
    if not permissions.peut(request.user, "voir_chiffres_nationaux"):
        raise Http404("Ces chiffres sont réservés à l’équipe nationale.")
    projets = Projet.objects.visible_to(request.user)
    ordre = ("-nb_fiches", "-budget", "nom")

    def page():  # the figures, the régions, the first territories, their links to the search, their tables rendered
        def calcul():
            regions, territoires = selectors.tableaux_du_programme(projets, ordre=ordre, limite=TOP_TERRITOIRES + 1)
            lien = _lien_recherche(request, {})
            for ligne in regions:
                ligne.lien = lien(region=ligne.code)
            tronquee, territoires = len(territoires) > TOP_TERRITOIRES, territoires[:TOP_TERRITOIRES]
            for ligne in territoires:
                ligne.lien = lien(territoire=ligne.identifiant)
            contexte = {
                "chiffres": _avec_liens(selectors.chiffres_projets(projets), lien),
                "regions": regions,
                "somme_des_regions": sum(r.nb_fiches for r in regions),
                "territoires": territoires,
                "top": TOP_TERRITOIRES,
                "liste_tronquee": tronquee,
                "formats": LIBELLES_DES_FORMATS,
            }
            return contexte | {"tableaux": render_to_string("projets/chiffres_national_tableaux.html", contexte)}

        return selectors.en_cache_pour(request.user, "national:page", calcul)

    def tous_les_territoires():  # the export only
        return selectors.en_cache_pour(
            request.user, "national:territoires", lambda: selectors.par_territoire(projets, ordre=ordre)
        )

    tableaux = _tableaux(lambda: page()["chiffres"]) | {
        "regions": lambda: _regions(page()["regions"]),
        "territoires": lambda: _territoires(tous_les_territoires()),
    }
    export = _export(request, tableaux, "national")
    if export:
        return export
    contexte = page()
    return render(
        request,
        "projets/chiffres_national.html",
        contexte
        | {"tableaux": mark_safe(contexte["tableaux"]), "fil_ariane": fil_ariane("Chiffres des projets du programme")},
    )
