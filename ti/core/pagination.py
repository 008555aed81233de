"""A list paginated in two parts, some rows first: « the dossiers I follow, then the others ».

One ORDER BY over a computed key (« followed first ») sorts the whole table before the page can be cut; two
queries, each in the order an index serves, read only the page. Give `Paginator` a `DeuxParties` where it would take
the queryset: it counts the whole once, the first part once, and reads from one or both parts the rows of the page.
"""

from functools import cached_property

from django.db.models import Q, QuerySet


class DeuxParties:
    def __init__(self, tous: QuerySet, d_abord: Q):
        self.tous = tous
        self.premiers = tous.filter(d_abord)
        self.suivants = tous.exclude(d_abord)

    @cached_property
    def nombre_de_premiers(self) -> int:
        return self.premiers.count()

    def count(self) -> int:
        return self.tous.count()

    def __getitem__(self, tranche: slice) -> list:
        debut, fin = tranche.start or 0, tranche.stop
        n = self.nombre_de_premiers
        lignes = list(self.premiers[debut : min(fin, n)]) if debut < n else []
        if fin > n:
            lignes += self.suivants[max(debut - n, 0) : fin - n]
        return lignes
