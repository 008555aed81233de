"""Writing an accepted Fonds vert file (see ti/financements/import_fonds_vert.py): one transaction, in bulk."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ti.core.models import Journal
from ti.financements.models import AttributionFondsVert, LigneFondsVert

ACTION_JOURNAL = "import_fonds_vert"
PAQUET = 5000  # SQLite bounds the parameters of one query
DOSSIER_MIS_A_JOUR = ["annee", "axe", "nom_demarche", "nom_projet", "montant_engage", "nombre_lignes"]
LIGNE_MISE_A_JOUR = [
    "ligne_fichier",
    "nom_region",
    "code_departement",
    "code_commune",
    "nom_commune",
    "beneficiaire",
    "siren",
    "montant_engage",
    "commune",
    "region",
]


# Writing: the dossiers upserted, their lines upserted by rank (surplus lines of a shrunk dossier removed), the
# territory links of the lines replaced; one transaction.


@transaction.atomic
def enregistrer(analyse, *, par=None) -> None:
    """Write the dossiers and lines of an `Analyse` whose report is accepted, and the journal row of the import."""
    rapport, dossiers = analyse.rapport, analyse.dossiers
    demarches = {dossier.objet.numero_demarche for dossier in dossiers}
    existantes = set(_cles(demarches))
    AttributionFondsVert.objects.bulk_create(
        [dossier.objet for dossier in dossiers],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["numero_demarche", "numero_dossier"],
        update_fields=DOSSIER_MIS_A_JOUR,
    )
    cles = _cles(demarches)  # the primary keys, whatever the backend returned
    nombre_lignes = {}
    for dossier in dossiers:
        pk = cles[(dossier.objet.numero_demarche, dossier.objet.numero_dossier)]
        nombre_lignes[pk] = len(dossier.lignes)
        for ligne in dossier.lignes:
            ligne.objet.attribution_id = pk
    rapport.mises_a_jour = sum(
        1 for dossier in dossiers if (dossier.objet.numero_demarche, dossier.objet.numero_dossier) in existantes
    )
    rapport.creees = len(dossiers) - rapport.mises_a_jour
    lignes = [ligne for dossier in dossiers for ligne in dossier.lignes]
    LigneFondsVert.objects.bulk_create(
        [ligne.objet for ligne in lignes],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["attribution", "rang"],
        update_fields=LIGNE_MISE_A_JOUR,
    )
    ids = list(nombre_lignes)
    Lien = LigneFondsVert.territoires.through
    pks, surplus = {}, []
    for debut in range(0, len(ids), PAQUET):
        paquet = ids[debut : debut + PAQUET]
        Lien.objects.filter(lignefondsvert__attribution_id__in=paquet).delete()
        for attribution_id, rang, pk in LigneFondsVert.objects.filter(attribution_id__in=paquet).values_list(
            "attribution_id", "rang", "pk"
        ):
            pks[(attribution_id, rang)] = pk
            if rang > nombre_lignes[attribution_id]:
                surplus.append(pk)
    for debut in range(0, len(surplus), PAQUET):
        LigneFondsVert.objects.filter(pk__in=surplus[debut : debut + PAQUET]).delete()
    Lien.objects.bulk_create(
        [
            Lien(lignefondsvert_id=pks[(ligne.objet.attribution_id, ligne.objet.rang)], territoire_id=territoire_id)
            for ligne in lignes
            for territoire_id in sorted(ligne.territoires)
        ],
        batch_size=PAQUET,
    )
    # The provenance of the figures, read by the dashboards: one journal row per import, the year as its object.
    Journal.objects.create(
        acteur=par,
        action=ACTION_JOURNAL,
        objet_type=ContentType.objects.get_for_model(AttributionFondsVert),
        objet_id=str(rapport.annee),
        objet_libelle=f"Attributions du Fonds vert {rapport.annee}",
        details={
            "fichier": rapport.fichier,
            "empreinte": analyse.empreinte,
            "annee": rapport.annee,
            "lignes": rapport.lignes,
            "dossiers": rapport.dossiers,
            "dossiers_groupes": rapport.dossiers_groupes,
            "creees": rapport.creees,
            "mises_a_jour": rapport.mises_a_jour,
            "placees": rapport.placees,
            "en_territoire": rapport.en_territoire,
            "non_placees": len(rapport.non_placees),
            "normalisations": rapport.par_genre(),
            "montant_total": str(rapport.montant_total),
            "montant_en_territoire": str(rapport.montant_en_territoire),
        },
    )


def _cles(demarches: set[str]) -> dict[tuple[str, str], int]:
    return {
        (demarche, dossier): pk
        for demarche, dossier, pk in AttributionFondsVert.objects.filter(numero_demarche__in=demarches).values_list(
            "numero_demarche", "numero_dossier", "pk"
        )
    }
