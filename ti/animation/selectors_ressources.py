"""Reads of the resource centre, each in a bounded number of queries: the search (French full text, the platform's
shared mechanism `ti.core.recherche`, decision 0050) and the resources attached to an event."""

from django.db.models import Prefetch, QuerySet

from ti.animation.models_ressources import Etiquette, Ressource
from ti.core.recherche import classer, filtrer_texte


def _pour_liste(ressources: QuerySet) -> QuerySet:
    return (
        ressources.select_related("derniere_version", "region", "evenement")
        .prefetch_related(Prefetch("etiquettes", queryset=Etiquette.objects.order_by("nom")))
        .defer("vecteur_recherche", "texte_recherche")
    )


def rechercher_ressources(
    user, *, q: str = "", type: str = "", theme: str = "", etiquette: str = "", visibilite: str = ""
) -> QuerySet:
    """The resources `user` sees that match the text and the filters, the most relevant first (PostgreSQL), then the
    most recently updated. Each comes with its last version, région, event and tags (2 queries for a page)."""
    ressources = filtrer_texte(Ressource.objects.visible_to(user), q)
    if type:
        ressources = ressources.filter(type=type)
    if theme:
        ressources = ressources.filter(theme=theme)
    if etiquette:
        ressources = ressources.filter(etiquettes__nom=etiquette)
    if visibilite:
        ressources = ressources.filter(visibilite=visibilite)
    return _pour_liste(classer(ressources, q, "-modifie_le", "-pk"))


def ressources_de_l_evenement(user, evenement) -> list[Ressource]:
    """The replay, the slides and the other resources of an event that `user` may see."""
    return list(
        Ressource.objects.visible_to(user)
        .filter(evenement=evenement)
        .select_related("derniere_version")
        .defer("vecteur_recherche", "texte_recherche")
        .order_by("type", "titre")
    )


def les_plus_lues(user, limite: int = 10) -> list[Ressource]:
    return list(
        Ressource.objects.visible_to(user)
        .filter(telechargements__gt=0)
        .defer("vecteur_recherche", "texte_recherche")
        .order_by("-telechargements", "titre")[:limite]
    )
