"""The national Fonds vert list as it really is: grouped dossiers, identifiers and amounts written by spreadsheets,
empty, NULL and out-of-COG communes; all or nothing; idempotent re-import; the dashboards' figures on such a file."""

from decimal import Decimal

import pytest

from ti.core.models import Journal
from ti.financements import import_fonds_vert, normalisation, selectors_fonds_vert
from ti.financements.import_fonds_vert import importer_fonds_vert
from ti.financements.models import AttributionFondsVert, LigneFondsVert

from .test_import_fonds_vert import ecrire, ligne

GROUPE = {"numero_dossier_ds": "20000010", "nom_du_projet": "Réseau de chaleur intercommunal"}


def fichier_reel() -> list[dict]:
    """Every quirk of the real yearly files, line numbers 2 to 10 of the CSV."""
    return [
        # 2–4 and 10: one grouped dossier, three communes (two in a territory) and a second budget line at Montargis
        ligne(**GROUPE, code_commune="45208", siren="999000011.0", montant_engage="100000"),
        ligne(
            **GROUPE,
            code_commune="45004",
            nom_beneficiaire_principal="COMMUNE D’AMILLY",
            siren="9.99000029E8",
            montant_engage="50000.10000000001",
        ),
        ligne(**GROUPE, code_commune="18279", code_departement="18", montant_engage="25000"),
        # 5: Oyonnax and the Ain read as numbers; an amount with a binary artefact; no SIREN
        ligne(
            numero_dossier_ds="20000011",
            code_commune="1283",
            code_departement="1",
            siren="",
            montant_engage="12345.670000000002",
        ),
        # 6–8: communes that cannot be placed, kept
        ligne(numero_dossier_ds="20000012", code_commune="", code_departement="08", montant_engage="1000"),
        ligne(numero_dossier_ds="20000013", code_commune="NULL", code_departement="NULL", montant_engage="2000"),
        ligne(numero_dossier_ds="20000014", code_commune="98735", code_departement="987", montant_engage="3000"),
        # 9: a dossier number in scientific notation, Issoudun as a float, an amount in full scientific notation
        ligne(
            numero_dossier_ds="2.0000015E7", code_commune="36088.0", code_departement="36", montant_engage="1.2345678E6"
        ),
        ligne(**GROUPE, code_commune="45208", montant_engage="7000"),
    ]


@pytest.fixture
def importe(referentiel_exemple, tmp_path):
    rapport = importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", fichier_reel()))
    assert rapport.accepte, rapport.erreurs
    return rapport


def test_un_dossier_groupe_reste_un_dossier_a_plusieurs_lignes(importe, referentiel_exemple):
    assert (importe.lignes, importe.dossiers, importe.dossiers_groupes) == (9, 6, 1)
    assert AttributionFondsVert.objects.count() == 6 and LigneFondsVert.objects.count() == 9
    dossier = AttributionFondsVert.objects.get(numero_dossier="20000010")
    assert dossier.nombre_lignes == 4 and dossier.montant_engage == Decimal("182000.10")
    lignes = list(dossier.lignes.order_by("rang"))
    assert [(x.rang, x.ligne_fichier, x.code_commune, x.montant_engage) for x in lignes] == [
        (1, 2, "45208", Decimal("100000.00")),
        (2, 3, "45004", Decimal("50000.10")),
        (3, 4, "18279", Decimal("25000.00")),
        (4, 10, "45208", Decimal("7000.00")),
    ]
    assert lignes[1].beneficiaire == "COMMUNE D’AMILLY" and lignes[1].siren == "999000029"
    territoire_fv, ancien = referentiel_exemple["territoire_fv"], referentiel_exemple["ancien"]
    assert set(lignes[0].territoires.all()) == {territoire_fv, ancien}
    assert list(lignes[1].territoires.all()) == [territoire_fv]
    assert not lignes[2].territoires.exists()  # Vierzon: no territory, its amount stays out of the TI share
    assert (importe.en_territoire, importe.dossiers_en_territoire) == (5, 3)


def test_les_valeurs_ecrites_par_un_tableur_sont_normalisees_et_signalees(importe):
    assert importe.par_genre() == {
        normalisation.DECIMALE_NULLE: 2,
        normalisation.NOTATION_SCIENTIFIQUE: 3,
        normalisation.ZERO_INITIAL: 2,
        normalisation.ARTEFACT_BINAIRE: 2,
    }
    assert {(n.ligne, n.colonne, n.avant, n.apres) for n in importe.normalisations} == {
        (2, "siren", "999000011.0", "999000011"),
        (3, "siren", "9.99000029E8", "999000029"),
        (3, "montant_engage", "50000.10000000001", "50000.10"),
        (5, "code_commune", "1283", "01283"),
        (5, "code_departement", "1", "01"),
        (5, "montant_engage", "12345.670000000002", "12345.67"),
        (9, "numero_dossier_ds", "2.0000015E7", "20000015"),
        (9, "code_commune", "36088.0", "36088"),
        (9, "montant_engage", "1.2345678E6", "1234567.80"),
    }
    oyonnax = LigneFondsVert.objects.get(attribution__numero_dossier="20000011")
    assert (oyonnax.code_commune, oyonnax.code_departement, oyonnax.commune_id) == ("01283", "01", "01283")
    assert oyonnax.montant_engage == Decimal("12345.67") and oyonnax.territoires.exists()
    assert LigneFondsVert.objects.get(attribution__numero_dossier="20000015").commune_id == "36088"
    texte = importe.texte()
    assert "normalisé, zéro initial rétabli (« 1283 » → « 01283 ») : 2" in texte
    assert "ligne 3 : siren « 9.99000029E8 » → « 999000029 »" in texte


def test_les_communes_vides_null_ou_hors_cog_sont_gardees_et_signalees(importe):
    assert [(p.ligne, p.code_commune, p.motif) for p in importe.non_placees] == [
        (6, "", "code commune vide"),
        (7, "NULL", "code commune « NULL »"),
        (8, "98735", "inconnue du référentiel (hors du Code officiel géographique)"),
    ]
    vide, null, hors_cog = (
        LigneFondsVert.objects.get(attribution__numero_dossier=n) for n in ("20000012", "20000013", "20000014")
    )
    assert vide.commune is None and vide.region_id == "44"  # placed in its région through its département
    assert null.commune is None and null.region_id is None and null.code_commune == ""
    assert hors_cog.commune is None and hors_cog.region_id is None and hors_cog.montant_engage == Decimal("3000")


def test_les_tableaux_de_bord_comptent_un_dossier_une_fois_et_somment_ses_lignes(importe, referentiel_exemple):
    [annee] = selectors_fonds_vert.par_annee()
    assert (annee["nombre"], annee["nombre_ti"], annee["non_placees"]) == (6, 3, 3)
    assert annee["montant"] == importe.montant_total == Decimal("1434913.57")
    # Vierzon's line of the grouped dossier is not in a territory: only its other lines count in the TI share
    assert annee["montant_ti"] == importe.montant_en_territoire == Decimal("1403913.57")
    regions = {r["region__code"]: r for r in selectors_fonds_vert.par_region(2024)}
    assert (regions["24"]["nombre"], regions["24"]["montant"]) == (2, Decimal("1416567.90"))
    assert (regions["24"]["montant_ti"], regions[None]["nombre"]) == (Decimal("1391567.90"), 2)
    territoires = {t["territoire__nom"]: t for t in selectors_fonds_vert.par_territoire(2024, annee["montant"])}
    assert (territoires["Montargis-Gâtinais"]["nombre"], territoires["Montargis-Gâtinais"]["montant"]) == (
        1,
        Decimal("157000.10"),
    )
    assert (territoires["Montargis (Temps I)"]["nombre"], territoires["Montargis (Temps I)"]["montant"]) == (
        1,
        Decimal("107000.00"),
    )
    # The preview computes the same figures from the file, before anything is written
    apercu = {r["code"]: r for r in importe.regions}
    assert (apercu["24"]["dossiers"], apercu["24"]["montant"], apercu["24"]["montant_ti"]) == (
        2,
        "1416567.90",
        "1391567.90",
    )
    assert importe.territoires[0] | {"dossiers": 1} == {
        "identifiant": "ti2-2402",
        "nom": "Issoudun",
        "phase": 2,
        "dossiers": 1,
        "lignes": 1,
        "montant": "1234567.80",
        "montant_ti": "1234567.80",
    }


def test_un_nouvel_import_de_l_annee_remplace_les_lignes_sans_rien_dupliquer(importe, referentiel_exemple, tmp_path):
    liens = LigneFondsVert.territoires.through.objects.count()
    rapport = importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", fichier_reel()))
    assert (rapport.creees, rapport.mises_a_jour) == (0, 6)
    assert AttributionFondsVert.objects.count() == 6 and LigneFondsVert.objects.count() == 9
    assert LigneFondsVert.territoires.through.objects.count() == liens
    assert Journal.objects.filter(action="import_fonds_vert", objet_id="2024").count() == 2

    # The grouped dossier now has two lines: the two others and their links are gone, its total follows
    reduit = [x for x in fichier_reel() if x.get("numero_dossier_ds") != GROUPE["numero_dossier_ds"]]
    reduit += [ligne(**GROUPE, code_commune="18279", montant_engage="10"), ligne(**GROUPE, montant_engage="20")]
    assert importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", reduit)).accepte
    dossier = AttributionFondsVert.objects.get(numero_dossier="20000010")
    assert dossier.nombre_lignes == 2 and dossier.montant_engage == Decimal("30.00")
    assert [(x.rang, x.code_commune) for x in dossier.lignes.order_by("rang")] == [(1, "18279"), (2, "45208")]
    assert LigneFondsVert.objects.count() == 7
    assert not LigneFondsVert.territoires.through.objects.filter(
        lignefondsvert__attribution=dossier, lignefondsvert__rang__gt=2
    ).exists()


@pytest.mark.parametrize(
    ("valeurs", "message"),
    [
        ({"siren": "9.99E+08"}, "siren « 9.99E+08 » est écrit en notation scientifique et a perdu des chiffres"),
        ({"code_commune": "4.52E4"}, "code_commune « 4.52E4 » est écrit en notation scientifique"),
        ({"montant_engage": "1.3E+06"}, "montant_engage « 1.3E+06 » est écrit en notation scientifique"),
        ({"montant_engage": "10.005"}, "montant_engage « 10.005 » a plus de deux décimales."),
        ({"numero_dossier_ds": "2.00000155E7"}, "numero_dossier_ds « 2.00000155E7 » n’est pas un nombre entier."),
        ({"montant_engage": "beaucoup"}, "montant_engage « beaucoup » n’est pas un nombre."),
    ],
    ids=["siren-tronque", "commune-tronquee", "montant-tronque", "trois-decimales", "dossier-non-entier", "texte"],
)
def test_une_valeur_ambigue_ou_invalide_refuse_tout_le_fichier(importe, tmp_path, valeurs, message):
    avant = list(LigneFondsVert.objects.order_by("pk").values())
    dossiers = list(AttributionFondsVert.objects.order_by("pk").values())
    lignes = [*fichier_reel(), ligne(**({"numero_dossier_ds": "20000099"} | valeurs))]
    lignes[0]["montant_engage"] = "999"  # a change the refused file would have made
    rapport = importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", lignes))
    assert not rapport.accepte
    [(numero, texte)] = rapport.erreurs  # one message, not one per check that the value fails
    assert numero == 11 and message in texte
    assert list(LigneFondsVert.objects.order_by("pk").values()) == avant
    assert list(AttributionFondsVert.objects.order_by("pk").values()) == dossiers
    assert Journal.objects.filter(action="import_fonds_vert").count() == 1


@pytest.mark.parametrize(
    ("ecrit", "largeur", "lu", "genres"),
    [
        ("200071892", 9, "200071892", ()),
        ("200071892.0", 9, "200071892", (normalisation.DECIMALE_NULLE,)),
        ("2.00071892E8", 9, "200071892", (normalisation.NOTATION_SCIENTIFIQUE,)),
        ("2.00071892e+08", 9, "200071892", (normalisation.NOTATION_SCIENTIFIQUE,)),
        ("1283.0", 5, "01283", (normalisation.DECIMALE_NULLE, normalisation.ZERO_INITIAL)),
        ("283", 5, "283", ()),  # two zeros missing: no code of the COG, left for the référentiel to refuse
        ("2A004", 5, "2A004", ()),
        ("971", 2, "971", ()),
    ],
)
def test_normalisation_d_un_identifiant(ecrit, largeur, lu, genres):
    assert normalisation.identifiant(ecrit, largeur=largeur) == (lu, genres)


@pytest.mark.parametrize(
    ("ecrit", "lu", "genres"),
    [
        ("412 500,50", Decimal("412500.50"), ()),
        ("98708.70000000001", Decimal("98708.70"), (normalisation.ARTEFACT_BINAIRE,)),
        ("0.30000000000000004", Decimal("0.30"), (normalisation.ARTEFACT_BINAIRE,)),
        ("412500.4999999999", Decimal("412500.50"), (normalisation.ARTEFACT_BINAIRE,)),
    ],
)
def test_normalisation_d_un_montant(ecrit, lu, genres):
    assert normalisation.montant(ecrit) == (lu, genres)


def test_un_montant_proche_du_demi_centime_n_est_pas_un_artefact():
    with pytest.raises(normalisation.Ambigu, match="plus de deux décimales"):
        normalisation.montant("10.0050000000001")


def test_un_fichier_trop_lourd_est_refuse_avant_lecture(db, tmp_path, monkeypatch):
    monkeypatch.setattr(import_fonds_vert, "TAILLE_TABLEAU_MAX", 2 * 1024 * 1024)
    chemin = ecrire(tmp_path, "fonds-vert-2024.csv", fichier_reel())
    with chemin.open("ab") as fichier:
        fichier.write(b"x" * 3 * 1024 * 1024)
    rapport = importer_fonds_vert(chemin)
    assert [message for _, message in rapport.erreurs] == [
        "Le fichier pèse plus de 2,0 Mo (une fois décompressé s’il l’est) : c’est la limite."
    ]
    assert not AttributionFondsVert.objects.exists()
