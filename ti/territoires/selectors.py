"""Read queries on territories: filtered lists, a territory's page, a région's figures, the commune search.

Every function here answers in a fixed number of queries, whatever the number of rows.
"""

import re
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from ti.core.texte import cle_recherche
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Region
from ti.territoires.models import CommuneTerritoire, Phase, Territoire


def _compte(sous_requete: QuerySet, champ: str = "territoire") -> Coalesce:
    """A correlated COUNT per territory, so that several counts do not multiply each other's rows."""
    compte = sous_requete.filter(**{champ: OuterRef("pk")}).values(champ).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(compte, output_field=IntegerField()), 0)


def avec_comptes(territoires: QuerySet) -> QuerySet:
    return territoires.annotate(
        nb_communes=_compte(CommuneTerritoire.objects.all()),
        nb_epci=_compte(Territoire.epcis.through.objects.all()),
    )


def territoires_filtres(
    user,
    *,
    phase: int | None = None,
    region: str | None = None,
    departement: str | None = None,
    statut: str | None = None,
    q: str = "",
) -> QuerySet:
    """The territories a user sees, filtered; each with `nb_communes` and `nb_epci`; régions prefetched."""
    territoires = Territoire.objects.visible_to(user)
    if phase:
        territoires = territoires.filter(phase=phase)
    if region:
        territoires = territoires.filter(
            pk__in=Territoire.regions.through.objects.filter(region_id=region).values("territoire_id")
        )
    if departement:
        territoires = territoires.filter(
            pk__in=Territoire.departements.through.objects.filter(departement_id=departement).values("territoire_id")
        )
    if statut:
        territoires = territoires.filter(chef_projet_statut=statut)
    if q:
        territoires = territoires.recherche(q)
    return avec_comptes(territoires).prefetch_related("regions").order_by("phase", "nom")


def fiche_territoire(territoires: QuerySet) -> QuerySet:
    """Territories with everything their page shows: 7 queries in all, whatever the size of the perimeter."""
    return territoires.prefetch_related(
        "regions",
        Prefetch("departements", queryset=Departement.objects.order_by("code")),
        Prefetch("epcis", queryset=Epci.objects.order_by("nom")),
        Prefetch(
            "perimetre",
            queryset=CommuneTerritoire.objects.select_related("commune__departement").order_by(
                "commune__nom_recherche", "commune__code"
            ),
        ),
        "missions",
        "partenaires",
    )


def chiffres_du_perimetre(territoires: QuerySet, *, region: Region | None = None) -> dict:
    """Figures of the union of the territories' perimeters (a commune in two territories counts once), in one query.

    With `region`, only the communes of that région count (a territory may cross régions).
    """
    communes = Commune.objects.filter(
        pk__in=CommuneTerritoire.objects.filter(territoire__in=territoires).values("commune_id")
    )
    if region is not None:
        communes = communes.filter(region=region)
    figures = communes.aggregate(
        communes=Count("pk"),
        population=Sum("population"),
        epci=Count("epci", distinct=True),
        departements=Count("departement", distinct=True),
        regions=Count("region", distinct=True),
    )
    figures["population"] = figures["population"] or 0
    return figures


def chiffres_region(region: Region) -> dict:
    """A région's figures: its territories per phase and the perimeter they cover in the région (4 queries)."""
    territoires = Territoire.objects.filter(regions=region)
    par_phase = dict(territoires.values_list("phase").annotate(n=Count("pk")).order_by())
    phases = [
        {
            "phase": phase.value,
            "libelle": phase.label,
            "territoires": par_phase.get(phase, 0),
            **chiffres_du_perimetre(territoires.filter(phase=phase), region=region),
        }
        for phase in Phase
    ]
    return {
        "territoires": sum(par_phase.values()),
        **chiffres_du_perimetre(territoires, region=region),
        "phases": phases,
    }


def territoires_de_la_region(region: Region) -> QuerySet:
    return (
        avec_comptes(Territoire.objects.filter(regions=region))
        .prefetch_related(Prefetch("departements", queryset=Departement.objects.order_by("code")))
        .order_by("phase", "nom")
    )


def departements_de_la_region(region: Region) -> QuerySet:
    return region.departements.annotate(nb_territoires=Count("territoires", distinct=True)).order_by("code")


# The commune search: « ma commune est-elle dans un Territoire d'industrie ? »

_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


@dataclass(frozen=True)
class CommuneTrouvee:
    commune: Commune
    rattachee: CommuneRattachee | None = None  # set when found by a commune déléguée or associée


@dataclass(frozen=True)
class Recherche:
    texte: str
    resultats: list[CommuneTrouvee]
    tronquee: bool  # more communes match than were shown


def rechercher_communes(texte: str, *, limite: int = 20) -> Recherche:
    """Communes by INSEE code, postal code or name (accents and case ignored; exact, then prefix, then anywhere).

    A commune déléguée or associée (by code, or by name as written) leads to its chef-lieu.
    Each commune comes with its département and its territories: 3 queries whatever the number of matches.
    """
    texte = " ".join(texte.split())
    code = texte.upper()
    if _CODE.match(code):
        rattachees = CommuneRattachee.objects.filter(code=code)
        condition = Q(code=code) | Q(codes_postaux__contains=code)
        ordre = [Case(When(code=code, then=Value(0)), default=Value(1)), "-population", "nom_recherche"]

        def directe(commune):
            return commune.code == code or code in commune.codes_postaux.split()
    else:
        cle = cle_recherche(texte)
        if not cle:
            return Recherche(texte=texte, resultats=[], tronquee=False)
        rattachees = CommuneRattachee.objects.filter(Q(nom__iexact=texte) | Q(nom__istartswith=f"{texte} "))
        condition = Q(nom_recherche__contains=cle)
        pertinence = Case(
            When(nom_recherche=cle, then=Value(0)),
            When(nom_recherche__startswith=cle, then=Value(1)),
            default=Value(2),
        )
        ordre = [pertinence, "-population", "nom_recherche"]

        def directe(commune):
            return cle in commune.nom_recherche

    rattachees = {r.chef_lieu_id: r for r in rattachees.exclude(type=CommuneRattachee.Type.ARRONDISSEMENT)[:limite]}
    communes = list(
        Commune.objects.filter(condition | Q(pk__in=list(rattachees)))
        .select_related("departement")
        .prefetch_related(Prefetch("territoires", queryset=Territoire.objects.order_by("phase", "nom")))
        .order_by(*ordre)[: limite + 1]
    )
    resultats = [
        CommuneTrouvee(commune=c, rattachee=None if directe(c) else rattachees.get(c.pk)) for c in communes[:limite]
    ]
    return Recherche(texte=texte, resultats=resultats, tronquee=len(communes) > limite)
