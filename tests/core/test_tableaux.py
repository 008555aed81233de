"""The generic table reader: CSV as spreadsheets write them, XLSX workbooks; every value as stripped text."""

import codecs
import io
from datetime import date, datetime

import openpyxl
import pytest

from ti.core.tableaux import TableauIllisible, lire_csv, lire_tableau, lire_xlsx


def xlsx(*lignes) -> bytes:
    classeur = openpyxl.Workbook()
    for ligne in lignes:
        classeur.active.append(ligne)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


@pytest.mark.parametrize("separateur", [";", ",", "\t"])
def test_le_separateur_se_devine_sur_l_en_tete(separateur):
    tableau = lire_csv(f"a{separateur}b\n1{separateur}2\n".encode())

    assert (tableau.separateur, tableau.entete, tableau.lignes) == (separateur, ["a", "b"], [(2, ["1", "2"])])


@pytest.mark.parametrize(
    "contenu",
    [
        "nom;ville\nÉlodie;Châteauroux\n".encode(),
        codecs.BOM_UTF8 + "nom;ville\nÉlodie;Châteauroux\n".encode(),
        "nom;ville\r\nÉlodie;Châteauroux\r\n".encode("cp1252"),
        "nom;ville\nÉlodie;Châteauroux\n".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 avec BOM", "windows-1252", "utf-16"],
)
def test_les_encodages_des_tableurs(contenu):
    tableau = lire_csv(contenu)

    assert tableau.entete == ["nom", "ville"]
    assert tableau.lignes == [(2, ["Élodie", "Châteauroux"])]


def test_lignes_vides_sautees_numeros_gardes_valeurs_completees():
    tableau = lire_csv(b"a;b;c\n\n1;2\n ; ; \n4;5;6;7\n")

    assert tableau.lignes == [(3, ["1", "2", ""]), (5, ["4", "5", "6", "7"])]


def test_une_cellule_sur_plusieurs_lignes_compte_ses_lignes():
    tableau = lire_csv(b'a;b\n"un\ndeux";x\n3;y\n')

    assert tableau.lignes == [(3, ["un\ndeux", "x"]), (4, ["3", "y"])]


def test_xlsx_valeurs_en_texte_comme_en_csv():
    contenu = xlsx(
        ["Date", "Montant", "Entier", "Oui", "Texte", None, None],
        [date(2025, 3, 1), 1250000.5, 12.0, True, "  espacé  ", None, None],
        [None, None, None, None, None],
        [datetime(2025, 3, 1, 10, 30), 0.1, 42, False, None],
    )

    tableau = lire_xlsx(contenu)

    assert tableau.format == "xlsx"
    assert tableau.entete == ["Date", "Montant", "Entier", "Oui", "Texte"]  # empty columns on the right dropped
    assert tableau.lignes == [
        (2, ["2025-03-01", "1250000.5", "12", "oui", "espacé"]),
        (4, ["2025-03-01 10:30:00", "0.1", "42", "non", ""]),
    ]


def test_lire_tableau_reconnait_le_contenu_et_non_le_nom():
    assert lire_tableau(xlsx(["a"], ["1"])).format == "xlsx"
    assert lire_tableau(b"a\n1\n").format == "csv"


@pytest.mark.parametrize(
    "contenu,message,ligne",
    [
        (b"", "le fichier est vide.", None),
        (xlsx(), "le fichier est vide.", None),
        (b"a;b\n\x81\x8d;x\n", "fichier illisible : ni UTF-8 ni Windows-1252 (Latin-1), octet 0x81 inattendu.", 2),
        (b"a;b\nx\x00y;z\n", "fichier illisible : caractère de contrôle U+0000", 2),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "classeur Excel 97-2003 (.xls) non pris en charge", None),
        (
            b"PK\x03\x04pas une archive",
            "classeur illisible : ce fichier n’est pas un classeur Excel (.xlsx) valide.",
            None,
        ),
    ],
    ids=["vide", "classeur vide", "octets", "contrôle", "xls", "zip cassé"],
)
def test_fichiers_illisibles(contenu, message, ligne):
    with pytest.raises(TableauIllisible) as erreur:
        lire_tableau(contenu)

    assert erreur.value.message.startswith(message)
    assert erreur.value.ligne == ligne


@pytest.mark.parametrize("lire,contenu", [(lire_csv, b"a\n1\n2\n3\n"), (lire_xlsx, xlsx(["a"], [1], [2], [3]))])
def test_nombre_de_lignes_borne(lire, contenu):
    assert len(lire(contenu, lignes_max=3).lignes) == 3
    with pytest.raises(TableauIllisible, match="plus de 2 lignes de données"):
        lire(contenu, lignes_max=2)
