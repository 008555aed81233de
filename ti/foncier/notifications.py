"""Notifications of the foncier part: jobs of the queue (`ti.core.travaux.differer`), given primary keys."""

from ti.comptes.models import Habilitation, Role
from ti.comptes.notifications import url_absolue
from ti.notifications.actions import notifier
from ti.notifications.models import Type


def destinataires_demande(demande) -> list[int]:
    """The chefs de projet of the site's territories and the Conseil régional referents of its région (the role
    « Référent Conseil régional » is the région's referent of the programme)."""
    site = demande.site
    actives = Habilitation.objects.actives().filter(utilisateur__is_active=True)
    chefs = actives.filter(role=Role.CHEF_PROJET, territoire__in=site.territoires())
    referents = actives.filter(role=Role.REFERENT_REGION, region_id=site.commune.region_id)
    return list((chefs | referents).values_list("utilisateur_id", flat=True).distinct())


def demande_recue(demande_pk: int) -> int:
    from ti.foncier.models import Demande

    demande = Demande.objects.select_related("site__commune").get(pk=demande_pk)
    return notifier(
        destinataires=destinataires_demande(demande),
        type=Type.DEMANDE_SITE,
        gabarit="foncier/emails/demande_recue",
        contexte={"demande": demande, "site": demande.site, "url": url_absolue(demande.get_absolute_url())},
        lien=demande.get_absolute_url(),
    )
