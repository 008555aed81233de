"""A list paginated in two parts (ti/core/pagination.py), on real rows: every cut of the page reads the right rows."""

import pytest
from django.core.paginator import Paginator
from django.db.models import Q

from ti.core.models import EnvoiTraite
from ti.core.pagination import DeuxParties

pytestmark = pytest.mark.django_db


@pytest.fixture
def lignes():
    """Ten rows; the « first » ones are those whose token ends with an odd digit."""
    for i in range(10):
        EnvoiTraite.objects.create(jeton=f"jeton-{i}", url=f"/{i}")
    return EnvoiTraite.objects.order_by("jeton")


def test_la_premiere_partie_puis_la_seconde_chacune_dans_son_ordre(lignes):
    liste = DeuxParties(lignes, Q(jeton__regex=r"[13579]$"))
    attendu = [f"jeton-{i}" for i in (1, 3, 5, 7, 9, 0, 2, 4, 6, 8)]

    assert liste.count() == 10
    for debut in range(11):
        for fin in range(debut, 12):
            assert [e.jeton for e in liste[debut:fin]] == attendu[debut:fin], (debut, fin)


def test_les_pages_se_suivent_sans_doublon_ni_oubli(lignes):
    paginator = Paginator(DeuxParties(lignes, Q(jeton__in=["jeton-8", "jeton-9"])), 3)

    pages = [[e.jeton for e in paginator.page(n)] for n in paginator.page_range]

    assert pages == [
        ["jeton-8", "jeton-9", "jeton-0"],
        ["jeton-1", "jeton-2", "jeton-3"],
        ["jeton-4", "jeton-5", "jeton-6"],
        ["jeton-7"],
    ]


def test_sans_premiere_partie_la_liste_est_celle_de_depart(lignes):
    assert [e.jeton for e in DeuxParties(lignes, Q(jeton="aucun"))[0:4]] == [f"jeton-{i}" for i in range(4)]
