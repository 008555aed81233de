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
from django.db.models import Count, Func, OuterRef, Q, QuerySet, Subquery

from ti.core.exports import EcrivainCsv
from ti.core.formats import date_fr
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

# The attribuant is the authority that signs the decision, set per envelope (the préfet de région for the Fonds
# vert: qualité and the préfecture's SIRET). idAttribuant is required by the schema and never guessed: a grant
# whose envelope lacks it is left out, and counted on the page (`sans_attribuant`, docs/decisions/0066).
SIGNATAIRE_CONNU = ~Q(enveloppe__signataire_qualite="") & ~Q(enveloppe__signataire_siret="")
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
    "enveloppe__signataire_siret",
    "enveloppe__signataire_qualite",
)


def _attribuees() -> QuerySet:
    return Dossier.objects.filter(
        statut__in=STATUTS_ATTRIBUES, convention_date__isnull=False, montant_engage__isnull=False
    )


def subventions_attribuees() -> QuerySet:
    """Engaged or closed dossiers with a convention and a known attribuant, oldest convention first, with their
    payment dates (1 query).

    The payment dates are correlated subqueries, not a join and GROUP BY: the rows come in the order of the partial
    index `dossier_subventions`, a page of the API reads only its rows (and its COUNT only that index), and no
    sort of every grant's row spills to disk.
    """
    versements = Versement.objects.filter(dossier=OuterRef("pk")).order_by()
    return (
        _attribuees()
        .filter(SIGNATAIRE_CONNU)
        .select_related("dispositif", "enveloppe")
        .only(*CHAMPS_LUS)  # narrow rows: should the planner sort a page rather than walk the index, in memory
        .annotate(
            premier_versement=Subquery(versements.annotate(d=Func("date", function="MIN")).values("d")),
            dernier_versement=Subquery(versements.annotate(d=Func("date", function="MAX")).values("d")),
        )
        .order_by("convention_date", "reference")
    )


def sans_attribuant() -> list[tuple[str, int]]:
    """The awarded grants left out of the open data, per envelope (« Bretagne 2024 », count): their envelope has
    no signing authority yet (qualité and SIRET). One query."""
    lignes = (
        _attribuees()
        .exclude(SIGNATAIRE_CONNU)
        .values_list("enveloppe__region__nom", "enveloppe__annee")
        .annotate(n=Count("pk"))
        .order_by("enveloppe__region__nom", "enveloppe__annee")
    )
    return [(f"{region} {annee}", n) for region, annee, n in lignes]


def attribuant(enveloppe) -> tuple[str, str]:
    """(nomAttribuant, idAttribuant): the authority that signs the envelope's decisions."""
    return (enveloppe.signataire_qualite.strip(), enveloppe.signataire_siret)


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
                attribuant(dossier.enveloppe),
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


def ligne_affichee(dossier: Dossier) -> dict[str, str]:
    """The row as the public page writes it: the same values, dates the French way (« 15/07/2024 »)."""
    valeurs = ligne(dossier)
    premier, dernier = getattr(dossier, "premier_versement", None), getattr(dossier, "dernier_versement", None)
    valeurs["dateConvention"] = date_fr(dossier.convention_date)
    if premier is None:
        valeurs["datesPeriodeVersement"] = "aucun versement"
    elif premier == dernier:
        valeurs["datesPeriodeVersement"] = f"le {date_fr(premier)}"
    else:
        valeurs["datesPeriodeVersement"] = f"du {date_fr(premier)} au {date_fr(dernier)}"
    return valeurs


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
    lecture = iter(dossiers.values_list(*CHAMPS_CSV).iterator(chunk_size=TAILLE_DES_LOTS))
    while lot := list(islice(lecture, TAILLE_DES_LOTS)):
        lignes = []
        for (convention_date, reference, porteur_nom, porteur_siret, intitule, montant_engage, premier, dernier,
             dispositif, siret_attribuant, nom_attribuant) in lot:  # fmt: skip
            lignes.append(
                _valeurs(
                    (nom_attribuant.strip(), siret_attribuant),
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
