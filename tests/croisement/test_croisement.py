"""The cross-file tool on files as people send them: every row kept in order, the columns added, what was fixed
and why a row could not be placed, and the files refused with a French message."""

import io
import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import TerritoireFactory
from ti.core import tableaux_flux
from ti.core.tableaux import TableauIllisible
from ti.croisement import depot, ecriture, service
from ti.croisement.placement import COLONNES_AJOUTEES
from ti.referentiel.models import CommuneRattachee
from ti.territoires.models import Phase

from .conftest import fichier_csv, lire_resultat


def croiser(contenu: bytes, nom_fichier="communes.csv", **colonnes) -> list[dict]:
    jeton, chemin, examen = service.recevoir(SimpleUploadedFile(nom_fichier, contenu))
    choix = service.choix_des_colonnes(examen, **colonnes)
    return lire_resultat(b"".join(ecriture.csv_en_morceaux(chemin, examen, choix)), examen.separateur)


def test_chaque_ligne_gardee_dans_l_ordre_avec_les_colonnes_ajoutees(geographie):
    lignes = [["montant", "insee"], ["100", "01033"], ["200", "99999"], ["300", "01053"], ["400", ""]]
    resultat = croiser(fichier_csv(lignes), code="insee")

    assert [ligne["montant"] for ligne in resultat] == ["100", "200", "300", "400"]
    assert list(resultat[0]) == ["montant", "insee", *COLONNES_AJOUTEES]
    bourg = resultat[2]
    assert bourg["ti_statut"] == "placée" and bourg["ti_remarque"] == ""
    assert bourg["ti_temps1_identifiants"] == "ti1-8401" and bourg["ti_temps1_noms"] == "Plaine de l’Ain"
    assert bourg["ti_temps2_identifiants"] == "ti2-8401"
    assert (bourg["ti_epci_siren"], bourg["ti_epci_nom"]) == ("200071751", "CA du Bassin de Bourg-en-Bresse")
    assert (bourg["ti_departement_code"], bourg["ti_departement_nom"]) == ("01", "Ain")
    assert (bourg["ti_region_code"], bourg["ti_region_nom"]) == ("84", "Auvergne-Rhône-Alpes")


def test_une_commune_de_deux_territoires_les_nomme_tous_les_deux(geographie):
    [valserhone] = croiser(fichier_csv([["code"], ["01033"]]), code="code")
    assert valserhone["ti_temps2_identifiants"] == "ti2-8401 ; ti2-8402"
    assert valserhone["ti_temps2_noms"] == "Bresse et Dombes ; Bugey Sud"
    assert valserhone["ti_temps1_identifiants"] == ""


@pytest.mark.parametrize(
    ("ecrit", "correction"),
    [("1053.0", "écrit comme un nombre décimal, zéro initial rétabli"), ("1053", "zéro initial rétabli")],
)
def test_un_code_ecrit_par_un_tableur_est_corrige_et_signale(geographie, ecrit, correction):
    [ligne] = croiser(fichier_csv([["code"], [ecrit]]), code="code")
    assert ligne["code"] == ecrit  # the file's own value is left as written
    assert ligne["ti_code_commune"] == "01053"
    assert ligne["ti_statut"] == "placée après correction"
    assert ligne["ti_remarque"] == f"« {ecrit} » lu 01053 ({correction})"


def test_un_ancien_code_mene_a_la_commune_actuelle(geographie):
    ancien, deleguee = croiser(fichier_csv([["code"], ["01458"], ["01091"]]), code="code")
    assert ancien["ti_code_commune"] == "01033" and ancien["ti_statut"] == "placée après correction"
    assert ancien["ti_remarque"] == "ancien code 01458, commune fusionnée dans 01033"
    assert deleguee["ti_code_commune"] == "01033"
    assert deleguee["ti_remarque"] == "commune déléguée Châtillon-en-Michaille (01091), rattachée à 01033"


def test_un_code_corse_d_avant_1976_est_lu_en_2a_ou_2b(geographie):
    [ligne] = croiser(fichier_csv([["code"], ["20004"]]), code="code")
    assert ligne["ti_code_commune"] == "2A004" and "code corse d’avant 1976" in ligne["ti_remarque"]


def test_les_lignes_non_placees_disent_pourquoi(geographie):
    lignes = [["code", "x"], [""], ["NULL", "1"], ["abc", "2"], ["99999", "3"], ["01053", "4", "débordement"]]
    resultat = croiser(fichier_csv(lignes), code="code")

    assert len(resultat) == 5
    assert {ligne["ti_statut"] for ligne in resultat} == {"non placée"}
    assert [ligne["ti_remarque"] for ligne in resultat] == [
        "code commune vide",
        "code commune vide",
        "« abc » n’est pas un code commune (5 caractères, 2A ou 2B pour la Corse)",
        "code 99999 inconnu du COG 2026",
        "la ligne compte 3 valeurs pour 2 colonnes (séparateur dans un texte sans guillemets ?)",
    ]
    assert all(ligne["ti_code_commune"] == "" and ligne["ti_region_code"] == "" for ligne in resultat)


def test_par_nom_et_departement(geographie):
    lignes = [
        ["ville", "dep"],
        ["BOURG EN BRESSE", "1"],
        ["Valserhone", "Ain"],
        ["Châtillon-en-Michaille", "01.0"],
        ["Beaulieu", "01"],
        ["Bourg-en-Bresse", "75"],
        ["Nulle-Part", "01"],
    ]
    resultat = croiser(fichier_csv(lignes), nom="Ville", departement="DEP")

    assert [ligne["ti_code_commune"] for ligne in resultat] == ["01053", "01033", "01033", "", "", ""]
    assert resultat[3]["ti_remarque"] == "plusieurs communes « Beaulieu » dans le département 01 : 01500, 01501"
    assert resultat[4]["ti_remarque"] == "département « 75 » inconnu"
    assert resultat[5]["ti_remarque"] == "aucune commune « Nulle-Part » dans le département 01 (COG 2026)"


def test_windows_1252_et_virgules(geographie):
    contenu = fichier_csv([["Bénéficiaire", "Code"], ["Scierie Hélène", "01053"]], separateur=",", encodage="cp1252")
    [ligne] = croiser(contenu, code="code")
    assert ligne["Bénéficiaire"] == "Scierie Hélène" and ligne["ti_code_commune"] == "01053"


def test_utf8_avec_bom_et_tabulations(geographie):
    contenu = b"\xef\xbb\xbf" + fichier_csv([["insee", "nom"], ["01053", "Bourg"]], separateur="\t")
    [ligne] = croiser(contenu, code="insee")
    assert ligne["ti_code_commune"] == "01053"


def test_les_formules_ne_passent_pas(geographie):
    lignes = [["code", "note", "solde"], ["01053", '=HYPERLINK("http://x","y")', "-12,5"]]
    [ligne] = croiser(fichier_csv(lignes), code="code")
    assert ligne["note"] == '\'=HYPERLINK("http://x","y")'
    assert ligne["solde"] == "-12,5"


def _classeur(lignes: list[list]) -> bytes:
    """A workbook whose texts starting with « = » are texts, as a cell typed by someone who meant no formula."""
    classeur = openpyxl.Workbook()
    for ligne in lignes:
        classeur.active.append(ligne)
    for rangee in classeur.active.iter_rows():
        for cellule in rangee:
            if cellule.data_type == "f":
                cellule.data_type = "s"
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def test_xlsx_rendu_en_xlsx_avec_ses_valeurs_typees(geographie):
    contenu = _classeur(
        [["Code commune", "Montant"], [1053, 12.5, None, "note"], [None, None], ["01033", "=SOMME(B1:B2)"]]
    )
    jeton, chemin, examen = service.recevoir(SimpleUploadedFile("aides.xlsx", contenu))
    sortie = depot.dossier() / "sortie.xlsx"
    ecriture.ecrire_xlsx(chemin, examen, service.choix_des_colonnes(examen, code="code commune"), sortie)

    lignes = list(openpyxl.load_workbook(sortie, read_only=True).active.iter_rows(values_only=True))
    assert lignes[0][:3] == ("Code commune", "Montant", "ti_code_commune")
    assert lignes[1][:3] == (1053, 12.5, "01053")  # numbers stay numbers
    statut_et_remarque = ("placée après correction", "« 1053 » lu 01053 (zéro initial rétabli)")
    assert lignes[1][-4:] == (*statut_et_remarque, None, "note")  # a note right of the table: placed, kept after
    assert lignes[2][2] is None and lignes[2][-2] == "non placée"  # the blank row is kept in its place
    assert lignes[3][1:3] == ("'=SOMME(B1:B2)", "01033")  # a text, not a formula
    assert len(lignes) == 4


def _refus(contenu: bytes, nom="f.csv") -> str:
    with pytest.raises(TableauIllisible) as refus:
        service.recevoir(SimpleUploadedFile(nom, contenu))
    return refus.value.message


def test_encodage_indecidable_refuse(geographie):
    assert "ni UTF-8 ni Windows-1252" in _refus(b"code\n01053\x81\n")
    assert "mêle des caractères UTF-8 et Windows-1252" in _refus("code;nom\n01053;Hélène\n".encode() + b"x;\xe9\n")


def test_fichier_malforme_refuse(geographie):
    assert _refus(b"") == "le fichier est vide ou sa première ligne (l’en-tête) est vide."
    assert "caractère de contrôle" in _refus(b"code\n01\x0053\n")
    guillemet_ouvert = b'code;nom\n01053;"Bourg\n' + b"01053;Bourg\n" * 20_000
    assert "jamais refermé" in _refus(guillemet_ouvert)
    assert "classeur Excel 97-2003" in _refus(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "f.xls")
    assert "n’est pas un classeur Excel (.xlsx) valide" in _refus(b"PK\x03\x04pas un zip", "f.xlsx")


def test_bombe_zip_refusee(geographie):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))
    assert "archive piégée" in _refus(tampon.getvalue(), "bombe.xlsx")
    assert list(depot.dossier().iterdir()) == []  # nothing kept of a refused file


def test_un_classeur_trop_long_est_renvoye_vers_le_csv(geographie, monkeypatch):
    monkeypatch.setattr(tableaux_flux, "LIGNES_MAX_XLSX", 2)
    assert "le classeur compte plus de 2 lignes de données : enregistrez-le au format « CSV UTF-8 »" in _refus(
        _classeur([["code"], [1053], [1053], [1053]]), "long.xlsx"
    )


def test_trop_gros_ou_trop_long_refuse(geographie, monkeypatch):
    monkeypatch.setattr(tableaux_flux, "LIGNES_MAX", 2)
    assert "plus de 2 lignes de données" in _refus(fichier_csv([["code"], ["01053"], ["01053"], ["01053"]]))
    monkeypatch.setattr(tableaux_flux, "TAILLE_MAX", 10)
    assert "Mo au plus : découpez-le" in _refus(fichier_csv([["code"], ["01053"]]))


def test_colonne_absente_refusee(geographie):
    _, _, examen = service.recevoir(SimpleUploadedFile("f.csv", fichier_csv([["insee"], ["01053"]])))
    with pytest.raises(TableauIllisible, match="aucune colonne « code » dans le fichier ; ses colonnes : « insee »"):
        service.choix_des_colonnes(examen, code="code")


def test_un_territoire_importe_entre_deux_fichiers_est_vu_au_suivant(geographie):
    [avant] = croiser(fichier_csv([["code"], ["01053"]]), code="code")
    TerritoireFactory(phase=Phase.TEMPS_2, code="8409", nom="Nouveau territoire", communes=[geographie.bourg])
    [apres] = croiser(fichier_csv([["code"], ["01053"]]), code="code")

    assert avant["ti_temps2_identifiants"] == "ti2-8401"
    assert apres["ti_temps2_identifiants"] == "ti2-8401 ; ti2-8409"


def test_un_depot_de_plus_d_une_heure_est_efface(geographie):
    ancien, chemin, _ = service.recevoir(SimpleUploadedFile("f.csv", fichier_csv([["code"], ["01053"]])))
    il_y_a_deux_heures = time.time() - 2 * depot.DUREE
    stockage = Path(settings.MEDIA_ROOT) / depot.DOSSIER_STOCKAGE
    for fichier in [*depot.dossier().iterdir(), *stockage.iterdir()]:  # this server's copy, and the stored file
        os.utime(fichier, (il_y_a_deux_heures, il_y_a_deux_heures))

    assert depot.retrouver(ancien) is None
    recent, _, _ = service.recevoir(SimpleUploadedFile("g.csv", fichier_csv([["code"], ["01053"]])))
    assert [p.name for p in depot.dossier().iterdir()] == [recent]
    assert sorted(p.name for p in stockage.iterdir()) == sorted([recent, f"{recent}.json"])


def test_deux_communes_deleguees_du_meme_nom_ne_sont_pas_devinees(geographie):
    for code, chef_lieu in (("01400", geographie.bourg), ("01401", geographie.valserhone)):
        CommuneRattachee.objects.create(code=code, type="commune-deleguee", nom="Saint-Martin", chef_lieu=chef_lieu)
    [ligne] = croiser(fichier_csv([["nom", "dep"], ["Saint-Martin", "01"]]), nom="nom", departement="dep")
    assert ligne["ti_statut"] == "non placée"
    assert ligne["ti_remarque"] == "plusieurs communes « Saint-Martin » dans le département 01 : 01053, 01033"
