"""Export of fiches-action in the national « projets de collectivités » schema (Table Schema, CSV).

The schema ships in `data/standards/projets-collectivites/projets-territoire_schema.json` (betagouv,
« Les communs de la transition écologique des collectivités », v0.1.0). One row per fiche; choices documented in
docs/decisions/0010-recherche-et-api-projets.md:

- `id` is the fiche's UUID, stable across exports; `createdAt` / `updatedAt` in UTC, ISO 8601 with `Z`;
- `budgetPrevisionnel` in whole euros (rounded half up), `dateDebutPrevisionnelle` as YYYY-MM-DD;
- `phase` and `phaseStatut` are the schema's labels (our lists are the schema's);
- `programme` is always « Territoires d'industrie »;
- the referent's contacts (`porteurReferent*`) are personal data: written only when the export is made for someone
  whose scope covers the fiche's territory (see `selectors.avec_contacts`), empty otherwise;
- `competences` (M57 codes) and `leviers` (SGPE labels) are JSON arrays, as in the schema's example;
- `collectiviteIds`: the INSEE code of the fiche's commune and the SIREN of that commune's EPCI; without a commune,
  the SIREN of the territory's EPCI. The schema announces UUIDs of its own « collectivités » table, which we do not
  hold; INSEE codes (5 characters) and SIREN (9 digits) are what a reuser can resolve and tell apart;
- `mecId`, `tetId`, `recocoId` are left empty: the platform does not know those services' identifiers.
"""

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ti.projets.models import Competence, Levier, Projet
from ti.referentiel.models import Epci

SCHEMA = Path(__file__).resolve().parents[2] / "data/standards/projets-collectivites/projets-territoire_schema.json"
PROGRAMME = "Territoires d'industrie"
COLONNES = [
    "id",
    "createdAt",
    "updatedAt",
    "nom",
    "description",
    "budgetPrevisionnel",
    "dateDebutPrevisionnelle",
    "phase",
    "phaseStatut",
    "programme",
    "porteurCodeSiret",
    "porteurReferentEmail",
    "porteurReferentTelephone",
    "porteurReferentPrenom",
    "porteurReferentNom",
    "porteurReferentFonction",
    "competences",
    "leviers",
    "mecId",
    "tetId",
    "recocoId",
    "collectiviteIds",
]
TAILLE_DES_LOTS = 500  # fiches read (and their lists prefetched) per round trip while streaming


def horodatage(moment: datetime) -> str:
    """2025-04-15T14:30:00.000Z, the form of the schema's example."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def euros_entiers(montant: Decimal | None) -> str:
    return "" if montant is None else str(int(montant.quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


def tableau(valeurs: list[str]) -> str:
    return json.dumps(valeurs, ensure_ascii=False)


def collectivites(projet: Projet) -> list[str]:
    if projet.commune_id:
        return [projet.commune_id] + ([projet.commune.epci_id] if projet.commune.epci_id else [])
    return [epci.siren for epci in projet.territoire.epcis.all()]


def ligne(projet: Projet, *, contacts: bool) -> list[str]:
    """One row, in the order of `COLONNES`. `contacts`: whether the referent's contacts may be written."""
    siret = projet.porteur_siret if len(projet.porteur_siret) == 14 and projet.porteur_siret.isdigit() else ""
    referent = (
        [
            projet.referent_email,
            projet.referent_telephone,
            projet.referent_prenom,
            projet.referent_nom,
            projet.referent_fonction,
        ]
        if contacts
        else [""] * 5
    )
    return [
        str(projet.uuid),
        horodatage(projet.cree_le),
        horodatage(projet.modifie_le),
        projet.titre,
        projet.description,
        euros_entiers(projet.budget),
        projet.date_debut.isoformat() if projet.date_debut else "",
        projet.get_phase_display(),
        projet.get_phase_statut_display(),
        PROGRAMME,
        siret,
        *referent,
        tableau([competence.code for competence in projet.competences.all()]),
        tableau([levier.libelle for levier in projet.leviers.all()]),
        "",
        "",
        "",
        tableau(collectivites(projet)),
    ]


def a_exporter(projets: QuerySet) -> QuerySet:
    """The fiches with what their rows need, in a stable order (creation)."""
    return (
        projets.order_by("pk")
        .select_related("commune", "territoire")
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("code")),
            Prefetch("leviers", queryset=Levier.objects.order_by("libelle")),
            Prefetch("territoire__epcis", queryset=Epci.objects.order_by("siren").only("siren")),
        )
    )


class _Tampon:
    """csv.writer writes into it and gets the line back: nothing is held in memory."""

    def write(self, valeur: str) -> str:
        return valeur


def lignes_csv(projets: QuerySet) -> Iterator[bytes]:
    """The CSV file, line by line, in UTF-8; fiches read by lots of `TAILLE_DES_LOTS` (lists prefetched per lot).

    `projets` may carry the boolean annotation `contacts_visibles` (see `selectors.avec_contacts`); without it, no
    referent contact is written.
    """
    ecrivain = csv.writer(_Tampon())
    yield ecrivain.writerow(COLONNES).encode("utf-8")
    for projet in a_exporter(projets).iterator(chunk_size=TAILLE_DES_LOTS):
        contacts = bool(getattr(projet, "contacts_visibles", False))
        yield ecrivain.writerow(ligne(projet, contacts=contacts)).encode("utf-8")


def nom_de_fichier() -> str:
    return f"projets-collectivites-territoires-industrie-{timezone.localdate():%Y-%m-%d}.csv"
