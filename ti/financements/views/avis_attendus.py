"""« Avis attendus de moi »: the opinions awaiting the ADEME expert, the Conseil régional referent or the binôme,
with their due dates, the earliest (so the late ones) first."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ti.comptes import permissions
from ti.core.navigation import fil_ariane
from ti.financements.models import Avis

PAR_PAGE = 50


def avis_a_rendre(user):
    return (
        Avis.objects.filter(permissions.q_avis_a_rendre(user))
        .select_related("dossier__territoire")
        .only(
            "type", "echeance", "demande_le", "dossier__reference", "dossier__intitule", "dossier__porteur_nom",
            "dossier__territoire__nom",
        )
        .order_by("echeance", "pk")
    )  # fmt: skip


def nombre_a_rendre(user) -> int:
    """The count on the queue's tab; no query for those who give no opinion (rule « voir_avis_attendus »)."""
    return avis_a_rendre(user).count() if permissions.peut(user, "voir_avis_attendus") else 0


@login_required
def avis_attendus(request):
    if not permissions.peut(request.user, "voir_avis_attendus"):
        raise PermissionDenied("Cette liste est celle des experts de l’ADEME, des référents régionaux et des binômes.")
    page = Paginator(avis_a_rendre(request.user), PAR_PAGE).get_page(request.GET.get("page"))
    aujourd_hui = timezone.localdate()
    for avis in page.object_list:
        avis.jours_restants = (avis.echeance - aujourd_hui).days
    return render(
        request,
        "financements/avis_attendus.html",
        {
            "page_obj": page,
            "fil_ariane": fil_ariane("Avis attendus de moi", ("File d’instruction", reverse("financements:file"))),
        },
    )
