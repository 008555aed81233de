"""French full-text search, the one mechanism every searchable model shares (fiches-action, the network's resources).

A searchable model keeps `texte_recherche`, lower-case and accent-free (`cle_recherche`), written by its own code,
and `vecteur_recherche`, a generated column `to_tsvector('french', texte_recherche)` kept by the database, with a
GIN index created on PostgreSQL by the model's migration (docs/decisions/0010, 0019, 0050).

On PostgreSQL the query, made accent-free the same way, is matched with `websearch_to_tsquery('french', …)`: French
stemming (« décarboner » finds « décarbonation »), stop words ignored, `"…"` for a phrase, `or`; results are ranked by
`ts_rank` on the stored vector. SQLite has no French stemming: every word of the query must appear in
`texte_recherche` (substring match), the most recent first.
"""

from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import F, QuerySet

from ti.core.texte import cle_recherche


class VecteurFrancais(models.Func):
    """`to_tsvector('french', <champ>)` on PostgreSQL, the expression of the stored vector; NULL on SQLite."""

    function = "to_tsvector"
    output_field = SearchVectorField()

    def __init__(self, champ: str = "texte_recherche"):
        super().__init__(SearchConfig("french"), models.F(champ))

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def requete_francaise(q: str) -> SearchQuery | None:
    cle = cle_recherche(q)
    return SearchQuery(cle, config="french", search_type="websearch") if cle else None


def mots(q: str) -> list[str]:
    return [mot for mot in cle_recherche(q).replace('"', " ").split() if mot]


def filtrer_texte(lignes: QuerySet, q: str) -> QuerySet:
    """Keep the rows that match `q` (no ordering: callers rank or count)."""
    if not cle_recherche(q):
        return lignes
    if connection.vendor == "postgresql":
        return lignes.filter(vecteur_recherche=requete_francaise(q))
    for mot in mots(q):
        lignes = lignes.filter(texte_recherche__contains=mot)
    return lignes


def classer(lignes: QuerySet, q: str, *ordre: str) -> QuerySet:
    """The most relevant first when there is a text (PostgreSQL), then `ordre` (the order without text)."""
    if cle_recherche(q) and connection.vendor == "postgresql":
        pertinence = SearchRank(F("vecteur_recherche"), requete_francaise(q))
        return lignes.annotate(pertinence=pertinence).order_by("-pertinence", *ordre)
    return lignes.order_by(*ordre)
