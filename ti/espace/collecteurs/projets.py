"""Plans d'action: the binôme validates a submitted plan; the chef de projet revises a plan sent back to him."""

from django.db.models import Exists, OuterRef

from ti.comptes import permissions
from ti.espace.a_faire import Element, genre, lire
from ti.projets.models import PlanAction, StatutPlan, TransitionPlan


def _element(plan: PlanAction) -> Element:
    return Element(
        texte=f"Plan d’action de {plan.territoire.nom}, version {plan.numero}",
        lien=plan.get_absolute_url(),
        quand=plan.soumis_le,
        libelle_quand="soumis le" if plan.statut == StatutPlan.SOUMIS else "renvoyé après sa soumission du",
    )


def _plans(user, mes_territoires: set[int]):
    if not mes_territoires:
        return None
    return (
        PlanAction.objects.visible_to(user)
        .filter(territoire__in=mes_territoires)
        .select_related("territoire")
        .order_by("soumis_le", "pk")
    )


@genre(35)
def plans_a_valider(user):
    plans = _plans(user, permissions.territoires_des_plans_a_valider(user))
    if plans is None:
        return None
    return lire("Plans d’action à valider", plans.filter(statut=StatutPlan.SOUMIS), _element)


@genre(36)
def plans_a_reprendre(user):
    """A plan back in draft after the binôme sent it back: the chef de projet revises and submits it again."""
    plans = _plans(user, permissions.territoires_des_plans_a_rediger(user))
    if plans is None:
        return None
    renvoye = TransitionPlan.objects.filter(plan=OuterRef("pk"), de=StatutPlan.SOUMIS, vers=StatutPlan.BROUILLON)
    return lire(
        "Plans d’action renvoyés à reprendre",
        plans.filter(Exists(renvoye), statut=StatutPlan.BROUILLON),
        _element,
    )
