"""The one neutralisation of spreadsheet formulas, shared by every export; numbers are never altered."""

import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from ti.core.exports import EcrivainCsv, exporter, flux_csv, neutraliser

HOSTILES = [
    '=HYPERLINK("http://exemple.invalid";"clic")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "\u00a0@SUM(1)",
]


@pytest.mark.parametrize("valeur", HOSTILES)
def test_un_texte_qui_serait_une_formule_est_neutralise(valeur):
    assert neutraliser(valeur) == f"'{valeur}"


@pytest.mark.parametrize(
    "valeur", [Decimal("-12.50"), -3, -0.5, "-12,50", "-1250", "+33", "", None, "Forges de Dreux", "a=b", "e-mail"]
)
def test_nombres_et_textes_ordinaires_intacts(valeur):
    assert neutraliser(valeur) == valeur


def ligne_hostile():
    return tablib.Dataset(['=HYPERLINK("x")', "+cmd", "@SUM(A1)", Decimal("-1500.25")], headers=["a", "b", "c", "d"])


def test_csv_neutralise():
    lu = tablib.Dataset().load(exporter(ligne_hostile(), "csv"), format="csv")

    assert lu[0] == ('\'=HYPERLINK("x")', "'+cmd", "'@SUM(A1)", "-1500.25")


@pytest.mark.parametrize("format_", ["xlsx", "ods"])
def test_classeurs_neutralises_et_nombres_gardes(format_):
    lu = tablib.Dataset().load(exporter(ligne_hostile(), format_), format=format_)

    assert list(lu[0][:3]) == ['\'=HYPERLINK("x")', "'+cmd", "'@SUM(A1)"]
    assert float(lu[0][3]) == -1500.25


def test_xlsx_sans_cellule_de_formule():
    feuille = openpyxl.load_workbook(io.BytesIO(exporter(ligne_hostile(), "xlsx"))).active

    assert [cellule.data_type for cellule in feuille[2]] == ["s", "s", "s", "n"]


def test_l_ecrivain_csv_des_exports_au_fil_de_l_eau():
    tampon = io.StringIO()
    ecrivain = EcrivainCsv(tampon, lineterminator="\n")
    ecrivain.writerow(["=1+1", Decimal("-2.00")])
    ecrivain.writerows([["@x", -3]])

    assert tampon.getvalue() == "'=1+1,-2.00\n'@x,-3\n"


def test_le_flux_csv_donne_l_entete_puis_un_morceau_par_lot_sans_formule():
    morceaux = list(flux_csv(["code", "nom"], iter([("1", "=A1"), ("2", "Deux"), ("3", "Trois")]), taille_des_lots=2))

    assert [m.decode() for m in morceaux] == ["code,nom\r\n", "1,'=A1\r\n2,Deux\r\n", "3,Trois\r\n"]
    assert list(flux_csv(["code"], [])) == [b"code\r\n"]
