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

Cost at scale (200 000 fiches): the fiches are read as plain tuples from one server-side cursor, never as model
instances; per lot of `TAILLE_DES_LOTS` fiches, one query reads their competences and one their leviers (the
through tables, ordered by the database as the prefetches were), and the EPCI of the territories of fiches without
commune are read once per territory for the whole export. Each lot is written by `EcrivainCsv.writerows` (formulas
neutralised, ti/core/exports.py) into one buffer and handed on as one piece: memory stays that of one lot whatever
the number of fiches.
"""

import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from pathlib import Path

from django.db import connection
from django.db.models import CharField, F, Func, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from ti.core.exports import EcrivainCsv
from ti.core.validateurs import chiffres_ascii
from ti.projets.models import PhaseProjet, Projet, StatutPhase
from ti.territoires.models import Territoire

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
TAILLE_DES_LOTS = 500  # fiches read (and their lists fetched) per round trip while streaming
# What a row needs, read as a tuple (`contacts_visibles` is added when the queryset carries it).
CHAMPS = (
    "pk",
    "uuid",
    "cree_le",
    "modifie_le",
    "titre",
    "description",
    "budget",
    "date_debut",
    "phase",
    "phase_statut",
    "porteur_siret",
    "referent_email",
    "referent_telephone",
    "referent_prenom",
    "referent_nom",
    "referent_fonction",
    "territoire_id",
    "commune_id",
    "commune__epci_id",
)


class _HorodatageISO(Func):
    """PostgreSQL writes `horodatage()`'s text itself (to_char truncates to the millisecond, as isoformat does):
    parsing 400 000 timestamps into Python objects only to print them again was a large part of the export's time."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    output_field = CharField()


# The columns that PostgreSQL turns into the row's text directly (SQLite: formatted in Python, same result).
EN_TEXTE_SUR_POSTGRESQL = {
    "uuid": Cast("uuid", CharField()),  # the canonical lowercase hyphenated form, as str(UUID)
    "cree_le": _HorodatageISO(F("cree_le")),
    "modifie_le": _HorodatageISO(F("modifie_le")),
}
PHASES = dict(PhaseProjet.choices)
STATUTS_DE_PHASE = dict(StatutPhase.choices)
SANS_CONTACT = ("",) * 5
VIDE = "[]"


def horodatage(moment: datetime) -> str:
    """2025-04-15T14:30:00.000Z, the form of the schema's example."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def euros_entiers(montant: Decimal | None) -> str:
    return "" if montant is None else str(int(montant.quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


class _Tableaux:
    """JSON arrays of strings written without calling json.dumps per row: each distinct value is escaped once
    (the lists are référentiels of a few hundred entries), the array joined as json.dumps joins it."""

    def __init__(self):
        self.echappes: dict[str, str] = {}

    def __call__(self, valeurs: list[str]) -> str:
        if not valeurs:
            return VIDE
        echappes = self.echappes
        morceaux = []
        for valeur in valeurs:
            morceau = echappes.get(valeur)
            if morceau is None:
                morceau = echappes[valeur] = json.dumps(valeur, ensure_ascii=False)
            morceaux.append(morceau)
        return "[" + ", ".join(morceaux) + "]"


def _listes(through, colonne: str, ids: list[int]) -> dict[int, list[str]]:
    """fiche pk → the values of `colonne` of its through rows, in the database's order of those values."""
    listes = defaultdict(list)
    lignes = through.objects.filter(projet_id__in=ids).order_by(colonne).values_list("projet_id", colonne)
    for projet_id, valeur in lignes:
        listes[projet_id].append(valeur)
    return listes


def _lots(lignes: Iterable[tuple], taille: int) -> Iterator[list[tuple]]:
    lignes = iter(lignes)
    while lot := list(islice(lignes, taille)):
        yield lot


def lignes_csv(projets: QuerySet) -> Iterator[bytes]:
    """The CSV file in UTF-8: the header, then one piece per lot of `TAILLE_DES_LOTS` fiches.

    `projets` may carry the boolean annotation `contacts_visibles` (see `selectors.avec_contacts`); without it, no
    referent contact is written.
    """
    tampon = io.StringIO()
    ecrivain = EcrivainCsv(tampon)
    ecrivain.writerow(COLONNES)
    yield _vider(tampon)
    avec_contacts = "contacts_visibles" in projets.query.annotations
    champs = CHAMPS + (("contacts_visibles",) if avec_contacts else ())
    en_texte = connection.vendor == "postgresql"
    if en_texte:
        projets = projets.annotate(**{f"{nom}_texte": texte for nom, texte in EN_TEXTE_SUR_POSTGRESQL.items()})
        champs = tuple(f"{nom}_texte" if nom in EN_TEXTE_SUR_POSTGRESQL else nom for nom in champs)
    identifiant, moment = (_tel_quel, _tel_quel) if en_texte else (str, horodatage)
    lecture = projets.order_by("pk").values_list(*champs).iterator(chunk_size=TAILLE_DES_LOTS)
    epcis_du_territoire: dict[int, str] = {}  # territoire pk → JSON array of its EPCI, for fiches without commune
    en_json = _Tableaux()
    for lot in _lots(lecture, TAILLE_DES_LOTS):
        ids = [ligne[0] for ligne in lot]
        competences = _listes(Projet.competences.through, "competence_id", ids)  # a competence's key is its code
        leviers = _listes(Projet.leviers.through, "levier__libelle", ids)
        sans_commune = {ligne[16] for ligne in lot if not ligne[17]} - epcis_du_territoire.keys()
        if sans_commune:
            epcis = _epcis(sans_commune)
            epcis_du_territoire.update((pk, en_json(epcis.get(pk, []))) for pk in sans_commune)
        lignes = []
        for ligne in lot:
            (pk, uuid, cree_le, modifie_le, titre, description, budget, date_debut, phase, phase_statut, siret,
             email, telephone, prenom, nom, fonction, territoire_id, commune_id, epci_id) = ligne[:19]  # fmt: skip
            visibles = avec_contacts and ligne[19]
            if not commune_id:
                collectivites = epcis_du_territoire[territoire_id]
            elif epci_id:  # INSEE codes and SIREN need no JSON escaping
                collectivites = f'["{commune_id}", "{epci_id}"]'
            else:
                collectivites = f'["{commune_id}"]'
            lignes.append(
                (
                    identifiant(uuid),
                    moment(cree_le),
                    moment(modifie_le),
                    titre,
                    description,
                    euros_entiers(budget),
                    date_debut.isoformat() if date_debut else "",
                    PHASES.get(phase, phase),
                    STATUTS_DE_PHASE.get(phase_statut, phase_statut),
                    PROGRAMME,
                    siret if len(siret) == 14 and chiffres_ascii(siret) else "",
                    *((email, telephone, prenom, nom, fonction) if visibles else SANS_CONTACT),
                    en_json(competences.get(pk, ())),
                    en_json(leviers.get(pk, ())),
                    "",
                    "",
                    "",
                    collectivites,
                )
            )
        ecrivain.writerows(lignes)
        yield _vider(tampon)


def _tel_quel(valeur: str) -> str:
    return valeur


def _vider(tampon: io.StringIO) -> bytes:
    contenu = tampon.getvalue().encode("utf-8")
    tampon.seek(0)
    tampon.truncate()
    return contenu


def _epcis(territoires: set[int]) -> dict[int, list[str]]:
    epcis = defaultdict(list)
    lignes = (
        Territoire.epcis.through.objects.filter(territoire_id__in=territoires)
        .order_by("epci_id")
        .values_list("territoire_id", "epci_id")
    )
    for territoire_id, siren in lignes:
        epcis[territoire_id].append(siren)
    return epcis


def nom_de_fichier() -> str:
    return f"projets-collectivites-territoires-industrie-{timezone.localdate():%Y-%m-%d}.csv"
