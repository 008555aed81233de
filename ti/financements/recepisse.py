"""The récépissé of a filing (PDF): reference, date and time, the porteur, the scheme and volet, the amounts, and the
pieces the dossier held when it was filed."""

from django.db.models import Q
from django.utils import timezone

from ti.core.formats import date_longue, heure
from ti.core.pdf import rendre_pdf
from ti.financements.models import Dossier, Statut, Transition

GABARIT = "financements/pdf/recepisse.html"


def siret_lisible(siret: str) -> str:
    """« 732 829 320 00074 »: the SIREN by threes, then the NIC."""
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret


def pieces_deposees(dossier: Dossier):
    """The pieces as they stood at the last filing: joined before it, and not withdrawn before it."""
    return (
        dossier.pieces.filter(depose_le__lte=dossier.depose_le)
        .filter(Q(archive_le__isnull=True) | Q(archive_le__gt=dossier.depose_le))
        .order_by("type", "depose_le", "pk")
    )


def contexte(dossier: Dossier) -> dict:
    depot = (
        Transition.objects.filter(dossier=dossier, vers=Statut.DEPOSE).select_related("par").order_by("-quand", "-pk")
    ).first()
    deposant = depot.par if depot else dossier.deposant
    return {
        "dossier": dossier,
        "depose_le": date_longue(dossier.depose_le, jour_de_la_semaine=True),
        "depose_a": heure(dossier.depose_le),
        "siret": siret_lisible(dossier.porteur_siret),
        "deposant": deposant.get_full_name() or deposant.email,
        "pieces": list(pieces_deposees(dossier)),
        "emis_le": f"{date_longue(timezone.now())} à {heure(timezone.now())}",
    }


def recepisse_pdf(dossier: Dossier) -> bytes:
    return rendre_pdf(GABARIT, contexte(dossier))
