"""The directory's read: who is in the network comes from the active habilitations (chefs de projet, binômes,
regional referents); only the people who consented are listed, one line per role and place (decision 0049)."""

from django.db.models import Prefetch, Q, QuerySet

from ti.animation.models_annuaire import ExpertiseAnnuaire
from ti.comptes.models import Habilitation
from ti.comptes.permissions import ROLES_DE_L_ANNUAIRE
from ti.core.texte import cle_recherche
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

LIMITE = 200


def annuaire(*, region: str = "", territoire: str = "", theme: str = "") -> QuerySet:
    """The consented entries, by région (a territory's régions, a referent's région), territory name, theme."""
    lignes = Habilitation.objects.actives().filter(
        role__in=sorted(ROLES_DE_L_ANNUAIRE),
        utilisateur__is_active=True,
        utilisateur__fiche_annuaire__consentement_le__isnull=False,
    )
    if region:
        territoires = Territoire.regions.through.objects.filter(region_id=region).values("territoire_id")
        lignes = lignes.filter(Q(region_id=region) | Q(territoire__in=territoires))
    if territoire:
        lignes = lignes.filter(territoire__nom_recherche__contains=cle_recherche(territoire))
    if theme:
        lignes = lignes.filter(utilisateur__fiche_annuaire__expertises__theme=theme)
    return (
        lignes.select_related("utilisateur__fiche_annuaire", "territoire", "region")
        .prefetch_related(
            Prefetch("territoire__regions", queryset=Region.objects.order_by("nom")),
            Prefetch("utilisateur__fiche_annuaire__expertises", queryset=ExpertiseAnnuaire.objects.all()),
        )
        .order_by("utilisateur__nom", "utilisateur__prenom", "pk")
    )
