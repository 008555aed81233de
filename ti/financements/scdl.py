"""The awarded grants in the official SCDL Subventions 2.1.1 format (données essentielles des conventions).

An awarded grant is a dossier whose convention is signed: engagé or soldé, with its convention date and engaged
amount. One row per dossier; the columns are the schema's, in its order (data/standards/scdl-subventions/).
The same rows feed the public page, the JSON API and the CSV (comma, UTF-8, no BOM: a machine-readable file).
"""

import csv
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Min, QuerySet

from ti.financements.models import Dossier, Statut

SCHEMA = Path(settings.BASE_DIR) / "data" / "standards" / "scdl-subventions" / "schema.json"

COLONNES = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]

# When the dispositif does not name its attribuant: the ANCT, which runs the programme for the State
# (decision 0015). idAttribuant is required by the schema, so a row is never published without one.
ATTRIBUANT_PAR_DEFAUT = ("Agence nationale de la cohésion des territoires", "13002603200016")
NATURE = "aide en numéraire"
CONDITIONS_VERSEMENT = "Avance, acomptes et solde sur justificatifs"
OBJET_MAX = 256
STATUTS_ATTRIBUES = (Statut.ENGAGE, Statut.SOLDE)


def subventions_attribuees() -> QuerySet:
    """Engaged or closed dossiers with a convention, oldest convention first, with their payment dates (1 query)."""
    return (
        Dossier.objects.filter(
            statut__in=STATUTS_ATTRIBUES, convention_date__isnull=False, montant_engage__isnull=False
        )
        .select_related("dispositif")
        .annotate(premier_versement=Min("versements__date"), dernier_versement=Max("versements__date"))
        .order_by("convention_date", "reference")
    )


def attribuant(dispositif) -> tuple[str, str]:
    siret = (dispositif.siret_attribuant or "").strip()
    if len(siret) == 14 and siret.isdigit():
        return (dispositif.nom_attribuant.strip() or ATTRIBUANT_PAR_DEFAUT[0], siret)
    return ATTRIBUANT_PAR_DEFAUT


def periode_versement(dossier) -> str:
    """« AAAA-MM-JJ » for one payment date, « AAAA-MM-JJ/AAAA-MM-JJ » from the first to the last; none yet: the
    convention date (the payments start from it)."""
    premier, dernier = getattr(dossier, "premier_versement", None), getattr(dossier, "dernier_versement", None)
    if premier is None:
        return dossier.convention_date.isoformat()
    if premier == dernier:
        return premier.isoformat()
    return f"{premier.isoformat()}/{dernier.isoformat()}"


def ligne(dossier: Dossier) -> dict[str, str]:
    """One SCDL row, every value a string as it is written in the CSV. Expects `subventions_attribuees()` rows."""
    nom_attribuant, id_attribuant = attribuant(dossier.dispositif)
    siret = dossier.porteur_siret if len(dossier.porteur_siret) == 14 and dossier.porteur_siret.isdigit() else ""
    return {
        "nomAttribuant": nom_attribuant,
        "idAttribuant": id_attribuant,
        "dateConvention": dossier.convention_date.isoformat(),
        "referenceDecision": dossier.reference,
        "nomBeneficiaire": dossier.porteur_nom,
        "idBeneficiaire": siret,
        "rnaBeneficiaire": "",
        "objet": " ".join(dossier.intitule.split())[:OBJET_MAX],
        "montant": f"{dossier.montant_engage:.2f}",
        "nature": NATURE,
        "conditionsVersement": CONDITIONS_VERSEMENT,
        "datesPeriodeVersement": periode_versement(dossier),
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1",
        "dispositifAide": dossier.dispositif.nom,
    }


class _Tampon:
    """csv.writer writes into it; each row is handed on at once (streaming)."""

    def write(self, valeur: str) -> str:
        return valeur


def lignes_csv(dossiers: QuerySet) -> Iterator[bytes]:
    """The header then one CSV line per grant, read from the database in batches."""
    ecrivain = csv.writer(_Tampon(), lineterminator="\r\n")
    yield ecrivain.writerow(COLONNES).encode("utf-8")
    for dossier in dossiers.iterator(chunk_size=500):
        valeurs = ligne(dossier)
        yield ecrivain.writerow([valeurs[colonne] for colonne in COLONNES]).encode("utf-8")


NOM_DE_FICHIER = "subventions-fonds-vert-territoires-d-industrie.csv"
