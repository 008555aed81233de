"""The network's events the person is registered to (or waits for a seat at) in the coming weeks."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ti.animation.models import Evenement, Inscription, StatutInscription
from ti.espace.a_faire import Element, genre, lire

HORIZON = timedelta(days=30)


@genre(100)
def evenements_a_venir(user):
    """Anyone may register to public events: no role needed, hence one query for every signed-in person."""
    maintenant = timezone.now()
    inscriptions = Inscription.objects.filter(
        participant=user,
        statut__in=[StatutInscription.INSCRIT, StatutInscription.ATTENTE],
        evenement__in=Evenement.objects.visible_to(user).filter(fin__gte=maintenant, debut__lte=maintenant + HORIZON),
    )
    return lire(
        "Mes événements des prochaines semaines",
        inscriptions.select_related("evenement").order_by("evenement__debut", "pk"),
        lambda i: Element(
            texte=i.evenement.titre,
            lien=i.evenement.get_absolute_url(),
            precision="" if i.statut == StatutInscription.INSCRIT else "En liste d’attente",
            quand=i.evenement.debut,
            libelle_quand="le",
        ),
        lien_tout=reverse("animation:mon_agenda"),
    )
