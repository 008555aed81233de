"""A plan d'action version as the Word annex of the territory's contract (`modeles/annexe_plan_action.docx`)."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Case, Prefetch, When
from django.utils import timezone

from ti.core.documents_word import remplir_modele
from ti.core.formats import date_fr, euros
from ti.projets.models import ContratTerritoire, PlanAction, Signataire, StatutPlan
from ti.projets.plans_contenu import FicheDuPlan, totaux

MODELE_ANNEXE = Path(__file__).resolve().parent / "modeles" / "annexe_plan_action.docx"


def contrat_de_l_annexe(plan: PlanAction) -> ContratTerritoire | None:
    """The contract that annexes this version; failing that, the territory's latest contract (its signatories)."""
    return (
        ContratTerritoire.objects.filter(territoire_id=plan.territoire_id)
        .prefetch_related(Prefetch("signataires", queryset=Signataire.objects.order_by("type", "organisme")))
        .order_by(Case(When(plan_id=plan.pk, then=0), default=1), "-pk")
        .first()
    )


def contexte_annexe(plan: PlanAction, fiches: list[FicheDuPlan], contrat: ContratTerritoire | None) -> dict:
    """What the Word template (`modeles/annexe_plan_action.docx`) reads: plain strings, already in French."""
    somme = totaux(fiches)
    return {
        "territoire": plan.territoire.nom,
        "identifiant": plan.territoire.identifiant,
        "version": plan.numero,
        "statut": plan.get_statut_display(),
        "version_de_travail": plan.statut != StatutPlan.VALIDE,
        "valide_le": date_fr(plan.valide_le),
        "valide_par": str(plan.valide_par) if plan.valide_par_id else "",
        "edite_le": date_fr(timezone.now()),
        "contrat": contrat.intitule if contrat else "",
        "contrat_signe_le": date_fr(contrat.date_signature) if contrat else "",
        "signataires": [
            {
                "type": signataire.get_type_display(),
                "organisme": signataire.organisme,
                "representant": signataire.representant,
                "qualite": signataire.qualite,
                "date": date_fr(signataire.date_signature),
            }
            for signataire in (contrat.signataires.all() if contrat else [])
        ],
        "fiches": [
            {
                "numero": rang,
                "titre": fiche.titre,
                "axe": fiche.axe_libelle,
                "themes": ", ".join(fiche.themes),
                "phase": f"{fiche.phase_libelle} ({fiche.phase_statut_libelle.lower()})",
                "porteur": fiche.porteur_nom
                + (f" ({fiche.porteur_type_libelle})" if fiche.porteur_type_libelle else ""),
                "commune": fiche.commune_nom,
                "budget": euros(fiche.budget, vide=""),
                "financements": fiche.plan_de_financement,
                "impact": fiche.impact,
                "description": fiche.description,
                "objectifs": fiche.objectifs,
                "partenaires": fiche.partenaires,
            }
            for rang, fiche in enumerate(fiches, start=1)
        ],
        "total_budget": euros(somme.budget),
        "total_acquis": euros(somme.acquis),
        "total_sollicite": euros(somme.sollicite),
        "nombre_de_fiches": somme.fiches,
    }


def annexe_docx(plan: PlanAction, fiches: list[FicheDuPlan], contrat: ContratTerritoire | None) -> bytes:
    return remplir_modele(MODELE_ANNEXE, contexte_annexe(plan, fiches, contrat))
