"""Read queries on territories: filtered lists, a territory's page, a région's figures, the commune search.

Every function here answers in a fixed number of queries, whatever the number of rows.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from ti.core.formats import valeur_lisible
from ti.core.models import historique_en_mots
from ti.referentiel import selectors as referentiel
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Region
from ti.territoires.actions import CHAMPS_MODIFIABLES
from ti.territoires.models import CommuneTerritoire, Partenaire, Phase, Territoire


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
    """Territories with what their page shows but the communes (`communes_du_perimetre`): 6 queries in all."""
    return territoires.prefetch_related(
        "regions",
        Prefetch("departements", queryset=Departement.objects.order_by("code")),
        Prefetch("epcis", queryset=Epci.objects.order_by("nom")),
        "missions",
        "partenaires",
    )


class CommuneDuPerimetre(NamedTuple):
    nom: str
    code: str
    departement: str
    code_departement: str
    population: int
    epci_id: str | None
    via_chef_lieu: bool
    code_source: str


def communes_du_perimetre(territoire: Territoire) -> list[CommuneDuPerimetre]:
    """The communes of a territory's perimeter, by name, as plain rows in one query.

    A perimeter can hold hundreds of communes: rows, not model instances, which would cost more than the page.
    """
    lignes = (
        CommuneTerritoire.objects.filter(territoire=territoire)
        .order_by("commune__nom_recherche", "commune__code")
        .values_list(
            "commune__nom",
            "commune__code",
            "commune__departement__nom",
            "commune__departement_id",
            "commune__population",
            "commune__epci_id",
            "via_chef_lieu",
            "code_source",
        )
    )
    return [CommuneDuPerimetre(*ligne) for ligne in lignes]


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

_CODE_COMPLET = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.ASCII)


@dataclass(frozen=True)
class CommuneTrouvee:
    commune: Commune
    rattachee: CommuneRattachee | None = None  # set when found through a commune déléguée, associée or arrondissement


@dataclass(frozen=True)
class Recherche:
    texte: str
    resultats: list[CommuneTrouvee]
    tronquee: bool  # more communes match than were shown


def _rattachees(texte: str, limite: int) -> list[CommuneRattachee]:
    """Communes déléguées, associées and arrondissements named or coded exactly so, with their chef-lieu.

    Names are matched as written, case aside (the table keeps no accent-free key); codes exactly.
    """
    code = texte.upper()
    condition = Q(code=code) if _CODE_COMPLET.match(code) else Q(nom__iexact=texte)
    return list(
        CommuneRattachee.objects.filter(condition)
        .exclude(chef_lieu_id=F("code"))  # a déléguée that shares its chef-lieu's code adds nothing
        .select_related("chef_lieu__departement")
        .order_by("type", "nom")[:limite]
    )


def rechercher_communes(texte: str, *, limite: int = 20) -> Recherche:
    """Communes by name (accents and case ignored; exact, then prefix, then anywhere), INSEE code or postal code,
    through `ti.referentiel.selectors.rechercher_communes`; a commune déléguée, associée or an arrondissement
    municipal, by its code or its exact name, leads to its chef-lieu (shown first).

    Each commune comes with its département and its territories: 3 queries whatever the number of matches.
    """
    texte = " ".join(texte.split())
    if not texte:
        return Recherche(texte=texte, resultats=[], tronquee=False)
    communes = referentiel.rechercher_communes(texte, limite=limite + 1)
    resultats = []
    vues = set()
    for rattachee in _rattachees(texte, limite):
        if rattachee.chef_lieu_id not in vues:
            vues.add(rattachee.chef_lieu_id)
            resultats.append(CommuneTrouvee(commune=rattachee.chef_lieu, rattachee=rattachee))
    resultats += [CommuneTrouvee(commune=commune) for commune in communes if commune.code not in vues]
    tronquee = len(resultats) > limite
    resultats = resultats[:limite]
    prefetch_related_objects(
        [r.commune for r in resultats], Prefetch("territoires", queryset=Territoire.objects.order_by("phase", "nom"))
    )
    return Recherche(texte=texte, resultats=resultats, tronquee=tronquee)


# The history of a territory, in words.

HISTORIQUE_MAX = 20
LIBELLES_DES_ACTIONS = {
    "territoire_modifie": "Profil et gouvernance modifiés",
    "territoire_cree_par_import": "Territoire créé par import",
    "territoire_mis_a_jour_par_import": "Territoire mis à jour par import",
    "fiches_action_importees": "Fiches-action importées d’un tableur",
}


def _libelle_du_champ(cle: str) -> str:
    if cle.startswith("partenaire."):
        return "Contact partenaire"
    try:
        return str(Territoire._meta.get_field(cle).verbose_name).capitalize()
    except FieldDoesNotExist:  # not a field of the territory: the key says what it is
        return cle.replace("_", " ").capitalize()


def _valeur_lisible(valeur) -> str:
    if valeur in (None, ""):
        return "(vide)"
    if isinstance(valeur, dict):  # a partner's contact
        organisme = Partenaire.Organisme(valeur["organisme"]).label if valeur.get("organisme") else ""
        identite = " — ".join(str(v) for v in (organisme, valeur.get("nom"), valeur.get("fonction")) if v)
        return identite + "".join(f", {valeur[c]}" for c in ("email", "telephone") if valeur.get(c))
    return valeur_lisible(valeur)


def _lignes(details: dict) -> list[str]:
    """{field: [before, after]} from `actions.modifier_territoire`; anything else (an import's summary) as is."""
    lignes = []
    for cle, valeur in details.items():
        if (
            isinstance(valeur, list)
            and len(valeur) == 2
            and (cle in CHAMPS_MODIFIABLES or cle.startswith("partenaire."))
        ):
            avant, apres = valeur
            lignes.append(
                f"{_libelle_du_champ(cle)} : « {_valeur_lisible(avant)} » devient « {_valeur_lisible(apres)} »"
            )
        elif isinstance(valeur, list):
            lignes += [str(element) for element in valeur]
        else:
            lignes.append(f"{_libelle_du_champ(cle)} : {_valeur_lisible(valeur)}")
    return lignes


def historique_lisible(territoire: Territoire) -> list[dict]:
    """The territory's last journal rows, each with its action and its details in words (one query)."""
    return historique_en_mots(territoire, libelles=LIBELLES_DES_ACTIONS, lignes=_lignes, nombre=HISTORIQUE_MAX)
