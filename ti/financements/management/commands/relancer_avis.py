"""`manage.py relancer_avis`: one reminder per late pending opinion, at most once every 7 days. Idempotent."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ti.core.travaux import differer
from ti.financements.models import Avis

DELAI_ENTRE_RELANCES = timedelta(days=7)


def avis_a_relancer(maintenant=None):
    maintenant = maintenant or timezone.now()
    return Avis.objects.filter(
        Q(relance_le__isnull=True) | Q(relance_le__lte=maintenant - DELAI_ENTRE_RELANCES),
        rendu_le__isnull=True,
        echeance__lt=timezone.localdate(maintenant),
    )


class Command(BaseCommand):
    help = "Relance (notification et courriel) les avis en retard (au plus une fois tous les 7 jours)."

    def handle(self, *args, **options):
        maintenant = timezone.now()
        relances = 0
        for avis_pk in avis_a_relancer(maintenant).values_list("pk", flat=True):
            with transaction.atomic():
                # Locked and re-checked: two runs at once send one reminder, not two.
                avis = avis_a_relancer(maintenant).select_for_update().filter(pk=avis_pk).first()
                if avis is None:
                    continue
                avis.relance_le = maintenant
                avis.save(update_fields=["relance_le"])
                differer("ti.financements.notifications.avis_demande", avis.pk, relance=True)
            relances += 1
        self.stdout.write(f"{relances} avis en retard relancé(s).")
