"""The search over fiches-action and its facets: read queries only, each in a fixed number of SQL queries.

Full text is French on PostgreSQL: the query, made accent-free by `cle_recherche` like the stored `texte_recherche`,
is matched with `websearch_to_tsquery('french', …)` against the stored vector `vecteur_recherche` (a generated column,
`to_tsvector('french', texte_recherche)`, with its GIN index: migration 0004) and ranked by `ts_rank` on that same
vector, read from the row rather than recomputed for every match.
SQLite has no French stemming: every word of the query must appear in `texte_recherche` (substring match).

The criteria (filters, cache key) are in `ti.projets.selectors_filtres`; the facets and the number of results,
counted together and cached, in `ti.projets.selectors_facettes`.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet, Value
from django.utils.functional import cached_property

from ti.comptes.permissions import visibilite
from ti.core.cache import en_cache
from ti.core.recherche import classer, filtrer_texte
from ti.projets import affichage
from ti.projets.models import Projet, Theme
from ti.projets.selectors_facettes import compter
from ti.projets.selectors_filtres import cle_du_cache, filtrer, filtres_de
from ti.territoires.models import Territoire

__all__ = [
    "PUBLIC",
    "Classement",
    "FichesDuTerritoire",
    "Lignes",
    "lignes_de_recherche",
    "avec_contacts",
    "compter",
    "nombre",
    "projets_filtres",
    "rechercher_projets",
]

PUBLIC = AnonymousUser()  # what a visitor without an account sees: the published fiches only


def projets_filtres(user, *, q: str = "", **filtres) -> QuerySet:
    """The fiches `user` sees that match, unordered and without rank: for exports and counts.
    The stored vector is left in the database: only the search's WHERE and ORDER BY read it."""
    return filtrer(filtrer_texte(Projet.objects.visible_to(user), q), filtres_de(**filtres)).defer("vecteur_recherche")


def avec_contacts(projets: QuerySet, user) -> QuerySet:
    """Annotate `contacts_visibles`: whether the referent's contacts may be shown to `user`.

    They are the territory team's working data: shown to those whose scope covers the fiche's territory (as the
    rule « voir_suivi_projets »), never to the public nor to other territories, even on a published fiche.
    """
    if not user.is_authenticated:
        return projets.annotate(contacts_visibles=Value(False, output_field=BooleanField()))
    return projets.annotate(
        contacts_visibles=ExpressionWrapper(
            Q(territoire__in=Territoire.objects.du_perimetre(user).values("pk")), output_field=BooleanField()
        )
    )


def rechercher_projets(
    user,
    *,
    q: str = "",
    region: str | Iterable[str] | None = None,
    territoire: str | Iterable[str] | None = None,
    axe: str | Iterable[str] | None = None,
    theme: str | Iterable[str] | None = None,
    phase: str | Iterable[str] | None = None,
    statut: str | Iterable[str] | None = None,
) -> QuerySet:
    """The fiches-action `user` sees that match the text and the filters, the most relevant first.

    `region` is a région's INSEE code, `territoire` a territory's identifiant (ti2-2401), `axe`, `theme`, `phase`
    and `statut` the codes of their lists; each may be one value or several (any of them matches).
    Each fiche comes with its territory and commune; its themes are prefetched (2 queries for a page).
    """
    projets = projets_filtres(
        user, q=q, region=region, territoire=territoire, axe=axe, theme=theme, phase=phase, statut=statut
    )
    return _avec_liens(_classer(projets, q))


def _classer(projets: QuerySet, q: str) -> QuerySet:
    """The most relevant first when there is a text (PostgreSQL), else the most recently modified first."""
    return classer(projets, q, "-modifie_le", "-pk")


def _avec_liens(projets: QuerySet) -> QuerySet:
    return projets.select_related("territoire", "commune").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("ordre", "libelle"))
    )


class Classement:
    """The results of `rechercher_projets` (same arguments), read one slice at a time, as a paginator reads them.

    A slice is one query: the fiches of the slice are chosen and ranked in a subquery on their own rows only, and the
    outer query reads those rows with their territory and commune (their themes, and `prefetch`, prefetched). Ranking
    the joined rows instead would join every matching fiche — tens of thousands for a frequent word — to keep 20.
    The outer query ranks its few rows again with the same expressions: the same order.

    Ranking a frequent word still reads every matching row: the ids chosen for a slice are kept in the cache with
    the search's counts (same key, same invalidation: any write to a fiche, its themes or its territory), the rows
    themselves are read afresh.
    """

    def __init__(self, user, *, prefetch: Iterable[str] = (), **criteres):
        self.user, self.criteres = user, criteres
        self.q = criteres.get("q", "")
        self.cle = cle_du_cache(user, self.q, filtres_de(**criteres))
        self.prefetch = tuple(prefetch)

    @cached_property
    def projets(self) -> QuerySet:
        """Built only when a slice's ids are not in the cache."""
        return projets_filtres(self.user, **self.criteres)

    def choisis(self, tranche: slice) -> list[int]:
        """The ids of the fiches of the slice, in their order."""
        if not isinstance(tranche, slice):
            raise TypeError("Un classement se lit par tranches.")
        if tranche.start == tranche.stop:
            return []
        return en_cache(
            f"{self.cle}:tranche:{tranche.start}:{tranche.stop}",
            lambda: list(_classer(self.projets, self.q).values_list("pk", flat=True)[tranche]),
        )

    def __getitem__(self, tranche: slice) -> list[Projet]:
        choisis = self.choisis(tranche)
        if not choisis:
            return []
        page = _classer(Projet.objects.filter(pk__in=choisis), self.q).defer("vecteur_recherche")
        return list(_avec_liens(page).prefetch_related(*self.prefetch))


class Lignes:
    """The same slices as `Classement`, each fiche as the plain values a result card shows (`lignes_de_recherche`):
    no model instance, nothing left for the template to compute.

    A slice's cards are kept in the cache like its ids (same key, same invalidation): they read the fiches, their
    themes and the names of their territory and commune, all of which invalidate it when written; and they hold
    nothing but what everybody who shares the key (`visibilite`) sees of these fiches."""

    def __init__(self, classement: Classement):
        self.classement = classement

    def __getitem__(self, tranche: slice) -> list[dict]:
        if tranche.start == tranche.stop:  # no result
            return []
        return en_cache(
            f"{self.classement.cle}:lignes:{tranche.start}:{tranche.stop}",
            lambda: lignes_de_recherche(self.classement.choisis(tranche)),
        )


def lignes_de_recherche(choisis: list[int]) -> list[dict]:
    """The cards of these fiches, in this order: two queries (the fiches with their territory and commune, their
    themes). The caller has chosen the ids within the user's scope (`Classement.choisis`)."""
    if not choisis:
        return []
    colonnes = ("pk", "titre", "description", "axe", "phase", "phase_statut", "public", "budget", "porteur_nom")
    valeurs = Projet.objects.filter(pk__in=choisis).values(*colonnes, "territoire__nom", "commune__nom")
    par_pk = {ligne["pk"]: ligne for ligne in valeurs}
    themes = {}
    liens = Projet.themes.through.objects.filter(projet_id__in=choisis).order_by("theme__ordre", "theme__libelle")
    for projet_id, libelle in liens.values_list("projet_id", "theme__libelle"):
        themes.setdefault(projet_id, []).append(libelle)
    prefixe = affichage.prefixe_des_fiches()
    lignes = []
    for pk in choisis:
        projet = par_pk.get(pk)
        if projet is None:  # gone between the two reads
            continue
        budget = projet["budget"]
        lignes.append(
            {
                "url": affichage.adresse(prefixe, pk),
                "titre": projet["titre"],
                "description": affichage.resume(projet["description"]),
                "axe": affichage.AXES.get(projet["axe"], projet["axe"]),
                "phase": affichage.PHASES.get(projet["phase"], projet["phase"]),
                "statut": affichage.STATUTS.get(projet["phase_statut"], projet["phase_statut"]).lower(),
                "public": projet["public"],
                "lieu": " — ".join(filter(None, (projet["territoire__nom"], projet["commune__nom"]))),
                "budget": None if budget is None else affichage.montant(budget),
                "porteur": projet["porteur_nom"],
                "themes": ", ".join(themes.get(pk, ())),
            }
        )
    return lignes


class FichesDuTerritoire:
    """The fiches of a territory that `user` sees, by axis then title, as the rows of its list
    (`affichage.lignes_de_la_liste`), read by a paginator one page at a time (`count()` and slices).

    Their number and each page's rows are kept in the cache for everybody who sees the same fiches (`visibilite`):
    they read the fiches and the names of their communes, whose writes invalidate it (`ti.core.invalidation`)."""

    def __init__(self, user, territoire: Territoire):
        self.user, self.territoire = user, territoire
        self.cle = f"projets:{visibilite(user)}:territoire:{territoire.pk}"

    @cached_property
    def projets(self) -> QuerySet:
        """Built only when the cache does not have what is asked."""
        visibles = Projet.objects.visible_to(self.user).filter(territoire=self.territoire)
        return visibles.order_by("axe", "titre", "pk").values(*affichage.COLONNES_DE_LA_LISTE)

    def count(self) -> int:
        return en_cache(f"{self.cle}:nombre", lambda: self.projets.count())

    def __getitem__(self, tranche: slice) -> list[dict]:
        if tranche.start == tranche.stop:  # no fiche
            return []
        return en_cache(
            f"{self.cle}:lignes:{tranche.start}:{tranche.stop}",
            lambda: affichage.lignes_de_la_liste(self.projets[tranche]),
        )


def nombre(user, *, q: str = "", **criteres) -> int:
    """The number of fiches `rechercher_projets` finds (same arguments), kept in the cache as `compter`'s counts."""
    filtres = filtres_de(**criteres)
    projets = filtrer(filtrer_texte(Projet.objects.visible_to(user), q), filtres)
    return en_cache(f"{cle_du_cache(user, q, filtres)}:nombre", projets.count)
