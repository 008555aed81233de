"""The missions the user sees as a table (CSV for French Excel, XLSX, ODS), through the platform's one writer."""

import tablib

from ti.core.exports import FORMATS_DE_TABLEAU, TYPES_DE_CONTENU, exporter

__all__ = ["FORMATS_DE_TABLEAU", "TYPES_DE_CONTENU", "exporter_missions"]

COLONNES = (
    "Territoire", "Type", "Intitulé", "Année", "Cabinet", "Bon de commande", "Date de commande", "Montant HT (€)",
    "Montant TTC (€)", "Jours prévus", "Jours consommés", "Statut",
)  # fmt: skip


def exporter_missions(missions, format_: str) -> bytes:
    """No personal data: the firm, never its consultants' names."""
    pour_csv = format_ == "csv"
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
    if pour_csv:
        return ("\ufeff" + exporter(donnees, "csv", delimiter=";")).encode("utf-8")
    return exporter(donnees, format_)
