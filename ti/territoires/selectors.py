"""Read queries on territories: filtered lists with their counts, computed by the database."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ti.territoires.models import CommuneTerritoire, Territoire


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
