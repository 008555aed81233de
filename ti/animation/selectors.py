"""Reads of the network's pages, each in a bounded number of queries."""

from django.db.models import Count, OuterRef, Q, Subquery

from ti.animation.models import Evenement, Inscription, StatutInscription


def evenements(user):
    """The events the user sees, with their taken seats, waiting list and the user's own status, in SQL."""
    mon_statut = Inscription.objects.filter(evenement=OuterRef("pk"), participant_id=user.pk or 0).values("statut")
    return (
        Evenement.objects.visible_to(user)
        .select_related("region")
        .annotate(
            occupees=Count("inscriptions", filter=Q(inscriptions__statut=StatutInscription.INSCRIT)),
            en_attente=Count("inscriptions", filter=Q(inscriptions__statut=StatutInscription.ATTENTE)),
            mon_statut=Subquery(mon_statut[:1]),
        )
    )
