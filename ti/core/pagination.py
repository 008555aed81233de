"""A list paginated in two parts, some rows first: « the dossiers I follow, then the others ».

One ORDER BY over a computed key (« followed first ») sorts the whole table before the page can be cut; two
queries, each in the order an index serves, read only the page. Give `Paginator` a `DeuxParties` where it would take
the queryset: it counts the whole and the first part in one query, and reads from one or both parts the rows of the
page.
"""

from functools import cached_property

from django.db.models import Count, Func, IntegerField, Max, Q, QuerySet, Subquery


class DeuxParties:
    def __init__(self, tous: QuerySet, d_abord: Q):
        self.tous = tous
        self.premiers = tous.filter(d_abord)
        self.suivants = tous.exclude(d_abord)

    @cached_property
    def _nombres(self) -> dict[str, int]:
        """Both counts in one query. The first part's is a subquery that depends on no row, run once (an InitPlan)
        and read through MAX (aggregate() takes aggregates only): each count keeps its own plan, the whole one an
        index-only scan, where a COUNT(*) FILTER would read every row of the whole to test it."""
        premiers = Subquery(self.premiers.order_by().values(n=Func(template="COUNT(*)", output_field=IntegerField())))
        return self.tous.order_by().aggregate(tous=Count("*"), premiers=Max(premiers))

    @property
    def nombre_de_premiers(self) -> int:
        return self._nombres["premiers"] or 0  # MAX of no row: an empty whole

    def count(self) -> int:
        return self._nombres["tous"]

    def __getitem__(self, tranche: slice) -> list:
        debut, fin = tranche.start or 0, tranche.stop
        n = self.nombre_de_premiers
        lignes = list(self.premiers[debut : min(fin, n)]) if debut < n else []
        if fin > n:
            lignes += self.suivants[max(debut - n, 0) : fin - n]
        return lignes
