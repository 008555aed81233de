"""Pages of the territories: the list, the commune search, a territory and its communes, a région, and an edit."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ti.comptes import permissions
from ti.core.cache import en_cache, en_cache_des_pages, pour_le_lecteur
from ti.core.navigation import fil_ariane
from ti.core.vues import annoncer_changements
from ti.ingenierie.selectors import phrase_missions_region
from ti.ingenierie.territoire import ingenierie_du_territoire
from ti.referentiel.models import Region
from ti.territoires import actions, reseau, selectors
from ti.territoires.carte import carte_des_departements
from ti.territoires.filiation import filiations_de
from ti.territoires.forms import (
    FiltresForm,
    FinancementPosteForm,
    PartenaireFormSet,
    RechercheCommuneForm,
    TerritoireForm,
)
from ti.territoires.gouvernance import gouvernance
from ti.territoires.models import Territoire

PAR_PAGE = 20


def liste(request):
    form = FiltresForm(request.GET)  # always bound: no filter is a valid search for everything
    page = None
    if form.is_valid():
        territoires = selectors.territoires_filtres(request.user, **form.filtres())
        page = Paginator(territoires, PAR_PAGE).get_page(request.GET.get("page"))
        # The numbered links of `{% dsfr_pagination %}`: 1 … 4 5 6 … 10
        page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return render(
        request,
        "territoires/liste.html",
        {"form": form, "page_obj": page, "fil_ariane": fil_ariane("Les territoires d’industrie")},
    )


def commune(request):
    form = RechercheCommuneForm(request.GET or None)
    recherche = selectors.rechercher_communes(form.cleaned_data["q"]) if form.is_valid() else None
    return render(
        request,
        "territoires/commune.html",
        {
            "form": form,
            "recherche": recherche,
            "fil_ariane": fil_ariane("Ma commune", ("Les territoires d’industrie", reverse("territoires:liste"))),
        },
    )


LIGNE_COMMUNE = '<tr><th scope="row">{}{}</th><td>{}</td><td>{} ({})</td><td class="fr-cell--right">{}</td></tr>'
MENTION_RATTACHEE = ' <span class="fr-text--xs ti-bloc fr-mb-0">au titre de la commune rattachée {}</span>'


def _lignes_des_communes(communes: list[selectors.CommuneDuPerimetre]) -> SafeString:
    """The rows of the communes' table, written here: hundreds of rows, where the template engine costs ~50 µs each."""
    return format_html_join(
        "\n",
        LIGNE_COMMUNE,
        (
            (
                commune.nom,
                format_html(MENTION_RATTACHEE, commune.code_source) if commune.via_chef_lieu else "",
                commune.code,
                commune.departement,
                commune.code_departement,
                intcomma(commune.population),
            )
            for commune in communes
        ),
    )


def _perimetre(territoire: Territoire) -> dict:
    """The communes' count, per EPCI, and their table's rows: the same for every visitor."""
    communes = selectors.communes_du_perimetre(territoire)
    return {
        "nombre": len(communes),
        "par_epci": Counter(commune.epci_id for commune in communes),
        "lignes": _lignes_des_communes(communes),
    }


def _fiche(pk: int) -> dict:
    """What a territory's page shows the same to every visitor (the parts reserved to some are filtered by the view):
    ten queries, read once per pages' generation, which every write to any of them bumps."""
    territoire = selectors.fiche_territoire(Territoire.objects.all()).get(pk=pk)
    departements = list(territoire.departements.all())
    return {
        "territoire": territoire,
        "regions": list(territoire.regions.all()),
        "departements": departements,
        "epcis": list(territoire.epcis.all()),
        "filiations": filiations_de(territoire),
        "changements_chef_projet": list(territoire.changements_chef_projet.select_related("par")),
        "financements_poste": list(territoire.financements_poste.all()),
        "carte": carte_des_departements(departements, titre=f"Carte des départements du territoire {territoire.nom}"),
    }


def detail(request, identifiant):
    pk = get_object_or_404(
        Territoire.objects.visible_to(request.user).values_list("pk", flat=True), identifiant=identifiant
    )
    # The page as this reader sees it (governance's names, contacts, history, engineering, buttons follow his
    # rights), kept until the next write: rendered once (decision 0068 « Suite, deuxième temps »).
    nom, contenu = pour_le_lecteur(request.user, f"territoire:{pk}", lambda: _contenu_du_territoire(request, pk))
    return render(
        request,
        "territoires/detail.html",
        {
            "nom": nom,
            "contenu": contenu,
            "fil_ariane": fil_ariane(nom, ("Les territoires d’industrie", reverse("territoires:liste"))),
        },
    )


def _contenu_du_territoire(request, pk: int) -> tuple[str, str]:
    fiche = en_cache_des_pages(f"territoires:fiche:{pk}", lambda: _fiche(pk))
    territoire = fiche["territoire"]
    # Hundreds of communes, read and written once until the perimeter or the communes change (their writes invalidate).
    perimetre = en_cache(f"territoires:perimetre:{territoire.pk}", lambda: _perimetre(territoire))
    epcis = [(epci, perimetre["par_epci"][epci.pk]) for epci in fiche["epcis"]]
    dans_le_perimetre = permissions.couvre_territoire(request.user, territoire)
    contenu = render_to_string(
        "territoires/_detail.html",
        {
            "territoire": territoire,
            "perimetre": perimetre,
            "epcis": epcis,
            "regions": fiche["regions"],
            "departements": fiche["departements"],
            "voir_contacts": permissions.peut(request.user, "voir_contacts", territoire),
            "gouvernance": gouvernance(territoire, request.user),
            "peut_modifier": permissions.peut(request.user, "modifier_territoire", territoire),
            "historique": selectors.historique_lisible(territoire) if dans_le_perimetre else None,
            "filiations": fiche["filiations"],
            # The status' history and the post's funding: for those whose habilitations cover the territory.
            "changements_chef_projet": fiche["changements_chef_projet"] if dans_le_perimetre else None,
            "financements_poste": fiche["financements_poste"] if dans_le_perimetre else None,
            "ingenierie": ingenierie_du_territoire(territoire, request.user),
            "carte": fiche["carte"],
        },
        request,
    )
    return territoire.nom, contenu


def communes(request, identifiant):
    """The table of a territory's communes, hundreds of rows: out of the territory's page, which gives their count and
    links here, so that it stays light on a phone (docs/decisions/0071-poids-page-territoire.md)."""
    territoire = get_object_or_404(Territoire.objects.visible_to(request.user), identifiant=identifiant)
    return render(
        request,
        "territoires/communes.html",
        {
            "territoire": territoire,
            # The same rows, under the same key, as the territory's page.
            "perimetre": en_cache(f"territoires:perimetre:{territoire.pk}", lambda: _perimetre(territoire)),
            "fil_ariane": fil_ariane(
                "Communes",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )


def region(request, code):
    region = get_object_or_404(Region, code=code)
    territoires = list(selectors.territoires_de_la_region(region))
    departements = list(selectors.departements_de_la_region(region))
    return render(
        request,
        "territoires/region.html",
        {
            "region": region,
            # Aggregates over the région's thousands of communes, that change only with perimeters and communes.
            "chiffres": en_cache(
                f"territoires:chiffres-region:{region.code}", lambda: selectors.chiffres_region(region)
            ),
            "territoires": territoires,
            "reseau": reseau.reseau(region),
            "missions_ingenierie": phrase_missions_region(region),
            "departements": departements,
            "carte": carte_des_departements(
                [d for d in departements if d.nb_territoires],
                titre=f"Carte des départements de la région {region.nom} comptant un territoire d’industrie",
            ),
            "fil_ariane": fil_ariane(region.nom, ("Les territoires d’industrie", reverse("territoires:liste"))),
        },
    )


@login_required
def modifier(request, identifiant):
    territoire = get_object_or_404(Territoire.objects.du_perimetre(request.user), identifiant=identifiant)
    permissions.exiger(request.user, "modifier_territoire", territoire)
    form = TerritoireForm(request.POST or None, instance=territoire)
    partenaires = PartenaireFormSet(request.POST or None, instance=territoire, prefix="partenaires")
    # Both validated, so that every error shows at once.
    if request.method == "POST" and all([form.is_valid(), partenaires.is_valid()]):
        changements = actions.modifier_territoire(
            territoire=territoire,
            par=request.user,
            donnees=form.donnees(),
            partenaires=partenaires.donnees(),
            motif=form.cleaned_data["motif"],
        )
        annoncer_changements(
            request,
            changements,
            fait="Les modifications du territoire sont enregistrées.",
            inchange="le territoire est inchangé.",
        )
        return redirect(territoire)
    return render(
        request,
        "territoires/modifier.html",
        {
            "territoire": territoire,
            "form": form,
            "partenaires": partenaires,
            "fil_ariane": fil_ariane(
                "Modifier",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )


def chefs_de_projet(request):
    """The national network: the sentence, the territories named by status, the table by région."""
    return render(
        request,
        "territoires/chefs_de_projet.html",
        {
            "reseau": reseau.reseau(),
            "par_region": reseau.reseau_par_region(),
            "statuts": [statut for statut, *_ in reseau.TOURNURES],
            "fil_ariane": fil_ariane(
                "Le réseau des chefs de projet", ("Les territoires d’industrie", reverse("territoires:liste"))
            ),
        },
    )


@login_required
def financer_poste(request, identifiant):
    territoire = get_object_or_404(Territoire.objects.du_perimetre(request.user), identifiant=identifiant)
    permissions.exiger(request.user, "modifier_territoire", territoire)
    form = FinancementPosteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.financer_poste(territoire=territoire, par=request.user, **form.cleaned_data)
        messages.success(request, "Le financement du poste est enregistré.")
        return redirect(territoire)
    return render(
        request,
        "territoires/financer_poste.html",
        {
            "territoire": territoire,
            "form": form,
            "fil_ariane": fil_ariane(
                "Financement du poste",
                ("Les territoires d’industrie", reverse("territoires:liste")),
                (territoire.nom, territoire.get_absolute_url()),
            ),
        },
    )
