"""The awarded grants in the official SCDL Subventions 2.1.1 format (données essentielles des conventions).

An awarded grant is a dossier whose convention is signed: engagé or soldé, with its convention date and engaged
amount. One row per dossier; the columns are the schema's, in its order (data/standards/scdl-subventions/).
The same rows feed the public page, the JSON API and the CSV (comma, UTF-8, no BOM: a machine-readable file).
"""

import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import Func, OuterRef, QuerySet, Subquery

from ti.core.exports import EcrivainCsv
from ti.core.validateurs import chiffres_ascii
from ti.financements.models import Dossier, Statut, Versement

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


# What a row reads of the dossier and its dispositif.
CHAMPS_LUS = (
    "convention_date",
    "reference",
    "porteur_nom",
    "porteur_siret",
    "intitule",
    "montant_engage",
    "dispositif__nom",
    "dispositif__siret_attribuant",
    "dispositif__nom_attribuant",
)


def subventions_attribuees() -> QuerySet:
    """Engaged or closed dossiers with a convention, oldest convention first, with their payment dates (1 query).

    The payment dates are correlated subqueries, not a join and GROUP BY: the rows come in the order of the partial
    index `dossier_subventions`, a page of the API reads only its rows (and its COUNT only that index), and no
    sort of every grant's row spills to disk.
    """
    versements = Versement.objects.filter(dossier=OuterRef("pk")).order_by()
    return (
        Dossier.objects.filter(
            statut__in=STATUTS_ATTRIBUES, convention_date__isnull=False, montant_engage__isnull=False
        )
        .select_related("dispositif")
        .only(*CHAMPS_LUS)  # narrow rows: should the planner sort a page rather than walk the index, in memory
        .annotate(
            premier_versement=Subquery(versements.annotate(d=Func("date", function="MIN")).values("d")),
            dernier_versement=Subquery(versements.annotate(d=Func("date", function="MAX")).values("d")),
        )
        .order_by("convention_date", "reference")
    )


def attribuant(dispositif) -> tuple[str, str]:
    return _attribuant(dispositif.siret_attribuant, dispositif.nom_attribuant)


def _attribuant(siret: str | None, nom: str) -> tuple[str, str]:
    siret = (siret or "").strip()
    if len(siret) == 14 and chiffres_ascii(siret):
        return (nom.strip() or ATTRIBUANT_PAR_DEFAUT[0], siret)
    return ATTRIBUANT_PAR_DEFAUT


def periode_versement(dossier) -> str:
    """« AAAA-MM-JJ » for one payment date, « AAAA-MM-JJ/AAAA-MM-JJ » from the first to the last; none yet: the
    convention date (the payments start from it)."""
    premier, dernier = getattr(dossier, "premier_versement", None), getattr(dossier, "dernier_versement", None)
    return _periode(dossier.convention_date, premier, dernier)


def _periode(convention_date, premier, dernier) -> str:
    if premier is None:
        return convention_date.isoformat()
    if premier == dernier:
        return premier.isoformat()
    return f"{premier.isoformat()}/{dernier.isoformat()}"


def ligne(dossier: Dossier) -> dict[str, str]:
    """One SCDL row, every value a string as it is written in the CSV. Expects `subventions_attribuees()` rows."""
    dispositif = dossier.dispositif
    return dict(
        zip(
            COLONNES,
            _valeurs(
                attribuant(dispositif),
                dossier.convention_date,
                dossier.reference,
                dossier.porteur_nom,
                dossier.porteur_siret,
                dossier.intitule,
                dossier.montant_engage,
                periode_versement(dossier),
                dispositif.nom,
            ),
            strict=True,
        )
    )


def _valeurs(attribuant, convention_date, reference, porteur_nom, porteur_siret, intitule, montant_engage, periode,
             dispositif) -> tuple[str, ...]:  # fmt: skip
    """The row in the order of COLONNES."""
    return (
        *attribuant,
        convention_date.isoformat(),
        reference,
        porteur_nom,
        porteur_siret if len(porteur_siret) == 14 and chiffres_ascii(porteur_siret) else "",
        "",
        " ".join(intitule.split())[:OBJET_MAX],
        f"{montant_engage:.2f}",
        NATURE,
        CONDITIONS_VERSEMENT,
        periode,
        "",
        "non",
        "1",
        dispositif,
    )


# What the CSV reads of each grant, as a tuple: no model instance per row (the file holds every grant).
CHAMPS_CSV = (*CHAMPS_LUS[:6], "premier_versement", "dernier_versement", *CHAMPS_LUS[6:])
TAILLE_DES_LOTS = 500  # grants read per round trip of the server-side cursor, written and handed on together


def lignes_csv(dossiers: QuerySet) -> Iterator[bytes]:
    """The header, then the CSV lines of the grants, one piece per lot read from the database."""
    tampon = io.StringIO()
    ecrivain = EcrivainCsv(tampon, lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    yield _vider(tampon)
    attribuants = {}  # (SIRET, name) of a dispositif → its attribuant: a handful of dispositifs
    lecture = iter(dossiers.values_list(*CHAMPS_CSV).iterator(chunk_size=TAILLE_DES_LOTS))
    while lot := list(islice(lecture, TAILLE_DES_LOTS)):
        lignes = []
        for (convention_date, reference, porteur_nom, porteur_siret, intitule, montant_engage, premier, dernier,
             dispositif, siret_attribuant, nom_attribuant) in lot:  # fmt: skip
            cle = (siret_attribuant, nom_attribuant)
            if cle not in attribuants:
                attribuants[cle] = _attribuant(siret_attribuant, nom_attribuant)
            lignes.append(
                _valeurs(
                    attribuants[cle],
                    convention_date,
                    reference,
                    porteur_nom,
                    porteur_siret,
                    intitule,
                    montant_engage,
                    _periode(convention_date, premier, dernier),
                    dispositif,
                )
            )
        ecrivain.writerows(lignes)
        yield _vider(tampon)


def _vider(tampon: io.StringIO) -> bytes:
    contenu = tampon.getvalue().encode("utf-8")
    tampon.seek(0)
    tampon.truncate()
    return contenu


NOM_DE_FICHIER = "subventions-fonds-vert-territoires-d-industrie.csv"
