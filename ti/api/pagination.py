"""The limit/offset page every list endpoint returns, with absolute links that keep the caller's filters."""

from django.db.models import QuerySet
from django.http import HttpRequest


def _lien(request: HttpRequest, offset: int) -> str:
    parametres = request.GET.copy()
    parametres["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{parametres.urlencode()}")


def paginer(request: HttpRequest, lignes: QuerySet, *, limit: int, offset: int, total: int | None = None) -> dict:
    """`total`, when the caller knows it (a cached count), spares the COUNT query."""
    if total is None:
        total = lignes.count()
    fin = offset + limit
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "suivant": _lien(request, fin) if fin < total else None,
        "precedent": _lien(request, max(offset - limit, 0)) if offset > 0 else None,
        "resultats": list(lignes[offset:fin]),
    }
