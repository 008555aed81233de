"""The « Ingénierie » section of a territory's page: its requests for support (only those the viewer may see, through
the permission layer), its missions (public fields for everybody, a link for those who may open them) and the way to
ask for support for its chef de projet and binôme. Two queries at most, whatever the numbers."""

from django.db.models import Exists, OuterRef, Value

from ti.comptes import permissions
from ti.ingenierie.models import Demande, Mission, StatutMission

LIMITE = 20


def ingenierie_du_territoire(territoire, user) -> dict:
    visibles = Mission.objects.visible_to(user).filter(pk=OuterRef("pk"))
    ouvrable = Exists(visibles) if user.is_authenticated else Value(False)
    missions = list(
        Mission.objects.filter(territoire=territoire)
        .exclude(statut=StatutMission.ANNULEE)
        .only("pk", "type", "intitule", "annee", "cabinet", "statut")
        .annotate(ouvrable=ouvrable)
        .order_by("-annee", "pk")[:LIMITE]
    )
    demandes = []
    if user.is_authenticated:
        demandes = list(Demande.objects.visible_to(user).filter(territoire=territoire).select_related("offre")[:LIMITE])
    return {
        "missions": missions,
        "demandes": demandes,
        "peut_demander": permissions.peut(user, "demander_ingenierie", territoire),
    }
