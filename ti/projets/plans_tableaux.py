"""A plan d'action version as a table, one row per fiche-action: CSV for French Excel, XLSX, ODS."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import tablib

from ti.projets.models import PlanAction, StatutPlan
from ti.projets.plans_contenu import FicheDuPlan


def nom_de_fichier(plan: PlanAction) -> str:
    """« plan-action-ti2-2401-v2 », without extension; a version not validated says so in its name."""
    suffixe = "" if plan.statut == StatutPlan.VALIDE else "-version-de-travail"
    return f"plan-action-{plan.territoire.identifiant}-v{plan.numero}{suffixe}"


COLONNES = (
    "Identifiant",
    "Titre",
    "Axe",
    "Thèmes",
    "Phase",
    "Statut de la phase",
    "Porteur",
    "SIRET du porteur",
    "Type de porteur",
    "Commune",
    "Code INSEE",
    "Date de début",
    "Date de fin",
    "Budget (€)",
    "Financements acquis (€)",
    "Financements sollicités (€)",
    "Plan de financement",
    "Emplois créés",
    "Emplois maintenus",
    "Investissement (€)",
    "tCO2e évitées par an",
    "Hectares recyclés ou économisés",
    "Partenaires",
    "Publiée",
)


def tableau(plan: PlanAction, fiches: list[FicheDuPlan], *, pour_csv: bool = False) -> tablib.Dataset:
    """The plan as a table. Amounts are numbers (Decimal) in XLSX and ODS; in CSV, written with a decimal comma and
    no thousands separator, which French Excel reads as numbers. Dates are ISO (YYYY-MM-DD) in CSV, dates otherwise."""

    def montant(valeur: Decimal | None):
        if valeur is None:
            return "" if pour_csv else None
        return str(valeur).replace(".", ",") if pour_csv else valeur

    def jour(valeur: date | None):
        if valeur is None:
            return "" if pour_csv else None
        return valeur.isoformat() if pour_csv else valeur

    def entier(valeur: int | None):
        return ("" if pour_csv else None) if valeur is None else valeur

    def texte(valeur: str) -> str:
        return valeur or ""

    donnees = tablib.Dataset(headers=list(COLONNES), title=f"Plan d’action v{plan.numero}")
    for fiche in fiches:
        donnees.append(
            [
                fiche.id,
                texte(fiche.titre),
                fiche.axe_libelle,
                ", ".join(fiche.themes),
                fiche.phase_libelle,
                fiche.phase_statut_libelle,
                texte(fiche.porteur_nom),
                fiche.porteur_siret,
                fiche.porteur_type_libelle,
                fiche.commune_nom,
                fiche.commune_code,
                jour(fiche.date_debut),
                jour(fiche.date_fin),
                montant(fiche.budget),
                montant(fiche.total_acquis),
                montant(fiche.total_sollicite),
                texte(fiche.plan_de_financement),
                entier(fiche.emplois_crees),
                entier(fiche.emplois_maintenus),
                montant(fiche.investissement),
                montant(fiche.tco2e_evitees),
                montant(fiche.hectares),
                texte(fiche.partenaires),
                ("oui" if fiche.public else "non") if pour_csv else fiche.public,
            ]
        )
    return donnees
