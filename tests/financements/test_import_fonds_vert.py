"""`manage.py import_fonds_vert`: placing, reporting, idempotence, refusals (nothing written), volume."""

import csv
import io
import math
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import SCEAU
from ti.core.models import Journal
from ti.financements.import_fonds_vert import COLONNES, annee_du_fichier, importer_fonds_vert
from ti.financements.models import AttributionFondsVert, LigneFondsVert
from ti.referentiel.models import CommuneRattachee

EXEMPLE = Path(__file__).resolve().parents[2] / "data" / "fonds-vert" / "exemple.csv"


def ecrire(dossier: Path, nom: str, lignes: list[dict], colonnes=COLONNES) -> Path:
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(tampon, fieldnames=colonnes, extrasaction="ignore")
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    chemin = dossier / nom
    chemin.write_text(tampon.getvalue(), encoding="utf-8")
    return chemin


def ligne(**valeurs) -> dict:
    base = {
        "nom_region": "Centre-Val de Loire",
        "code_departement": "45",
        "nom_departement": "Loiret",
        "code_commune": "45208",
        "nom_commune": "MONTARGIS",
        "axe": "3",
        "numero_demarche_ds": "90001",
        "nom_demarche_ds": "Territoires d'industrie en transition écologique",
        "numero_dossier_ds": "1",
        "nom_du_projet": "Projet",
        "nom_beneficiaire_principal": "EXEMPLE",
        "siren": "999000011",
        "montant_engage": "1000",
    }
    return base | valeurs


def importer(chemin, *arguments) -> str:
    sortie = io.StringIO()
    call_command("import_fonds_vert", str(chemin), *arguments, stdout=sortie)
    return sortie.getvalue()


def test_le_fichier_d_exemple_est_place_et_compte(referentiel_exemple, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        rapport = importer_fonds_vert(EXEMPLE, annee=2024)
    assert rapport.accepte
    assert (rapport.lignes, rapport.creees, rapport.placees, rapport.en_territoire) == (7, 7, 6, 3)
    assert rapport.montant_total == Decimal("4827500.50")
    # Montargis 412 500,50 + Issoudun 120 000 + Oyonnax 1 300 000; Montargis counts once though in two territories
    assert rapport.montant_en_territoire == Decimal("1832500.50")
    [inconnue] = rapport.non_placees
    assert (inconnue.ligne, inconnue.code_commune, inconnue.nom_commune) == (8, "08999", "COMMUNE INCONNUE")
    assert "ligne 8 : commune « 08999 » (COMMUNE INCONNUE) : inconnue du référentiel" in str(rapport)

    sans_commune = LigneFondsVert.objects.get(attribution__numero_dossier="20000007")
    assert sans_commune.commune is None and sans_commune.region_id == "44"  # the real award is kept, by its département
    assert not sans_commune.territoires.exists()
    montargis = LigneFondsVert.objects.get(attribution__numero_dossier="20000002")
    assert montargis.attribution.annee == 2024 and montargis.montant_engage == Decimal("412500.50")
    assert montargis.attribution.montant_engage == Decimal("412500.50") and montargis.attribution.nombre_lignes == 1
    assert montargis.region_id == "24"
    assert set(montargis.territoires.all()) == {referentiel_exemple["territoire_fv"], referentiel_exemple["ancien"]}
    assert not LigneFondsVert.objects.get(attribution__numero_dossier="20000001").territoires.exists()  # no TI
    journal = Journal.objects.get(action="import_fonds_vert")
    assert journal.objet_id == "2024" and journal.details["fichier"] == "exemple.csv"
    assert journal.details["non_placees"] == 1


def test_la_commande_affiche_les_comptes_et_la_duree(referentiel_exemple):
    sortie = importer(EXEMPLE, "--annee", "2024")
    assert "7 lignes, 7 dossiers (7 créés, 0 mis à jour), dont 0 groupés" in sortie
    assert "lignes placées sur une commune : 6" in sortie
    assert "lignes dans un territoire d’industrie : 3 (3 dossiers)" in sortie
    assert "lignes non placées (gardées sans commune ni territoire) : 1" in sortie
    assert (
        "montant engagé : 4\xa0827\xa0500,50\xa0€, dont dans un territoire d’industrie : 1\xa0832\xa0500,50\xa0€"
        in sortie
    )
    assert "Durée :" in sortie


def test_une_commune_deleguee_compte_pour_son_chef_lieu(territoire_fv, montargis, tmp_path):
    CommuneRattachee.objects.create(
        code="45999", type=CommuneRattachee.Type.DELEGUEE, nom="Ancienne", chef_lieu=montargis
    )
    rapport = importer_fonds_vert(ecrire(tmp_path, "fv-2023.csv", [ligne(code_commune="45999")]))
    assert rapport.accepte and rapport.annee == 2023 and rapport.via_chef_lieu == 1
    attribution = LigneFondsVert.objects.get()
    assert attribution.code_commune == "45999"  # as published
    assert attribution.commune == montargis and attribution.region_id == "24"
    assert list(attribution.territoires.all()) == [territoire_fv]


def test_un_nouvel_import_met_a_jour_sans_dupliquer(referentiel_exemple, tmp_path):
    importer_fonds_vert(EXEMPLE, annee=2024)
    lignes = [ligne(numero_dossier_ds="20000002", code_commune="18279", montant_engage="500000")]
    rapport = importer_fonds_vert(ecrire(tmp_path, "fv-2024.csv", lignes))
    assert (rapport.creees, rapport.mises_a_jour) == (0, 1)
    assert AttributionFondsVert.objects.count() == 7
    attribution = LigneFondsVert.objects.get(attribution__numero_dossier="20000002")
    assert attribution.montant_engage == Decimal("500000") and attribution.commune_id == "18279"
    assert attribution.attribution.montant_engage == Decimal("500000")
    assert not attribution.territoires.exists()  # moved to Vierzon: its old territories are gone
    rapport = importer_fonds_vert(EXEMPLE, annee=2024)
    assert (rapport.creees, rapport.mises_a_jour) == (0, 7)
    assert LigneFondsVert.territoires.through.objects.count() == 4


@pytest.mark.parametrize(
    ("valeurs", "message"),
    [
        ({"montant_engage": "beaucoup"}, "Ligne 3 : montant_engage « beaucoup » n’est pas un nombre."),
        ({"montant_engage": "-10"}, "Ligne 3 : montant_engage « -10 » est négatif."),
        ({"montant_engage": ""}, "Ligne 3 : montant_engage manquant."),
        ({"montant_engage": "10.005"}, "Ligne 3 : montant_engage « 10.005 » a plus de deux décimales."),
        ({"numero_dossier_ds": ""}, "Ligne 3 : numero_dossier_ds manquant"),
        ({"siren": "999000012"}, "Ligne 3 : SIREN « 999000012 » : La clé de contrôle de ce SIREN est fausse."),
        ({"siren": "12345"}, "Ligne 3 : SIREN « 12345 » : Le SIREN doit compter 9 chiffres."),
    ],
)
def test_une_ligne_invalide_refuse_tout_le_fichier(territoire_fv, tmp_path, valeurs, message):
    chemin = ecrire(tmp_path, "fv-2024.csv", [ligne(), ligne(**({"numero_dossier_ds": "2"} | valeurs))])
    erreurs = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé .* la base n’a pas été modifiée"):
        call_command("import_fonds_vert", str(chemin), stderr=erreurs)
    assert message in erreurs.getvalue()
    assert not AttributionFondsVert.objects.exists()
    assert not Journal.objects.filter(action="import_fonds_vert").exists()


def test_chaque_ligne_invalide_est_signalee(territoire_fv, tmp_path):
    lignes = [ligne(numero_dossier_ds="1", montant_engage="x"), ligne(numero_dossier_ds="2", siren="999000012")]
    rapport = importer_fonds_vert(ecrire(tmp_path, "fv-2024.csv", lignes))
    assert [numero for numero, _ in rapport.erreurs] == [2, 3]


def test_un_classeur_xlsx_aux_codes_lus_comme_des_nombres(referentiel_exemple, tmp_path):
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(list(COLONNES))
    valeurs = ligne(code_departement=1, code_commune=1283, numero_dossier_ds=20000005, siren=999000052)
    feuille.append([valeurs[colonne] for colonne in COLONNES[:-1]] + [1300000.5])
    chemin = tmp_path / "fonds-vert-2024.xlsx"
    classeur.save(chemin)
    rapport = importer_fonds_vert(chemin)
    assert rapport.accepte and rapport.placees == 1 and rapport.en_territoire == 1
    attribution = LigneFondsVert.objects.get()
    assert (attribution.code_commune, attribution.code_departement) == ("01283", "01")
    assert attribution.montant_engage == Decimal("1300000.50") and attribution.siren == "999000052"


def test_un_siren_absent_est_accepte(territoire_fv, tmp_path):
    rapport = importer_fonds_vert(ecrire(tmp_path, "fv-2024.csv", [ligne(siren="")]))
    assert rapport.accepte and rapport.sans_siren == 1


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (",".join(COLONNES).encode(), "Le fichier ne contient que sa ligne d’en-tête"),
        (b"nom_region,code_commune\nBretagne,29019\n", "colonne(s) manquante(s) : code_departement"),
        (b"\x00\x01\x02binaire", "caractère de contrôle"),
    ],
    ids=["vide", "en-tete-seul", "colonne-manquante", "binaire"],
)
def test_un_fichier_mal_forme_ne_change_rien(referentiel_exemple, tmp_path, contenu, message):
    importer_fonds_vert(EXEMPLE, annee=2024)
    avant = list(AttributionFondsVert.objects.order_by("pk").values())
    chemin = tmp_path / "fv-2024.csv"
    chemin.write_bytes(contenu)
    erreurs = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_fonds_vert", str(chemin), stderr=erreurs)
    assert message in erreurs.getvalue()
    assert list(AttributionFondsVert.objects.order_by("pk").values()) == avant


def test_un_fichier_indecodable_est_refuse(territoire_fv, tmp_path):
    chemin = tmp_path / "fv-2024.csv"
    chemin.write_bytes(b"\xff\xfe" + "nom_region\n".encode("utf-16-le")[:-1])  # UTF-16 cut in the middle
    rapport = importer_fonds_vert(chemin)
    assert not rapport.accepte and "illisible" in rapport.erreurs[0][1]


def test_l_annee_vient_de_l_option_ou_du_nom_du_fichier(territoire_fv, tmp_path):
    assert annee_du_fichier("fonds-vert-2024.csv") == 2024
    assert annee_du_fichier("fonds-vert-2023-2024.csv") is None  # ambiguous
    sans_annee = ecrire(tmp_path, "fonds-vert.csv", [ligne()])
    with pytest.raises(CommandError, match="Année inconnue : le nom « fonds-vert.csv » .* --annee"):
        importer(sans_annee)
    assert "Fonds vert 2025" in importer(sans_annee, "--annee", "2025")
    assert AttributionFondsVert.objects.get().annee == 2025


def test_vingt_mille_lignes_en_requetes_bornees(territoire_fv, tmp_path, django_assert_max_num_queries):
    """Volume: the query count does not grow with the rows (batches apart). The time is printed, not asserted."""
    lignes = [
        ligne(
            numero_dossier_ds=str(30000000 + i),
            code_commune=("45208", "45004", "18279", "99999")[i % 4],
            montant_engage=f"{1000 + i}.50",
        )
        for i in range(20000)
    ]
    chemin = ecrire(tmp_path, "fv-2024.csv", lignes)
    # One INSERT per batch of rows is the only cost that grows: Django caps a batch by the backend's parameter limit
    # (999 on SQLite, so ~60 rows of 16 fields; 1 000 rows on PostgreSQL). Everything else is a fixed count.
    champs = LigneFondsVert._meta.concrete_fields  # the widest of the two models written
    taille = min(1000, connection.ops.bulk_batch_size(champs, [None] * 1000) or 1000)
    debut = time.perf_counter()
    with django_assert_max_num_queries(2 * math.ceil(20000 / taille) + 20 + SCEAU):  # + the journal row's seal
        rapport = importer_fonds_vert(chemin)
    duree = time.perf_counter() - debut
    print(f"\n20 000 lignes importées en {duree:.1f} s")
    assert rapport.accepte and rapport.creees == 20000
    assert rapport.placees == 10000 and rapport.en_territoire == 10000 and len(rapport.non_placees) == 10000
    assert LigneFondsVert.territoires.through.objects.count() == 10000
    debut = time.perf_counter()
    rapport = importer_fonds_vert(chemin)
    print(f"ré-import (mise à jour) en {time.perf_counter() - debut:.1f} s")
    assert rapport.mises_a_jour == 20000 and AttributionFondsVert.objects.count() == 20000
