"""The missions the user sees as a table (CSV for French Excel, XLSX, ODS), through the platform's one writer."""

import tablib

from ti.core.exports import FORMATS_DE_TABLEAU

__all__ = ["FORMATS_DE_TABLEAU", "tableau_missions"]

COLONNES = (
    "Territoire", "Type", "Intitulé", "Année", "Cabinet", "Bon de commande", "Date de commande", "Montant HT (€)",
    "Montant TTC (€)", "Jours prévus", "Jours consommés", "Statut",
)  # fmt: skip


def tableau_missions(missions, *, pour_csv: bool = False) -> tablib.Dataset:
    """No personal data: the firm, never its consultants' names. The CSV writes decimal commas."""
    donnees = tablib.Dataset(headers=COLONNES, title="Missions d’ingénierie")
    for m in missions:
        nombres = [m.montant_ht, m.montant_ttc, m.jours_prevus, m.jours_consommes]
        donnees.append(
            [
                m.territoire.nom, m.get_type_display(), m.intitule, m.annee, m.cabinet, m.numero_commande,
                m.date_commande.isoformat() if m.date_commande else "",
                *[str(n).replace(".", ",") if pour_csv else float(n) for n in nombres],
                m.get_statut_display(),
            ]
        )  # fmt: skip
    return donnees
