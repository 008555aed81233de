"""Bounded reading of tables: a file beyond the bounds of ti/core/limites.py is refused, in French, before the
heavy work. Each hostile file is built here, a few Ko on disk."""

import io
import itertools
import zipfile

import openpyxl
import pytest

from ti.core import archives, tableaux
from ti.core.limites import COLONNES_MAX, LIGNES_VIDES_MAX
from ti.core.tableaux import TableauIllisible, lire_csv, lire_tableau


def xlsx(*lignes, cellules=()) -> bytes:
    classeur = openpyxl.Workbook()
    for ligne in lignes:
        classeur.active.append(ligne)
    for ligne, colonne, valeur in cellules:
        classeur.active.cell(row=ligne, column=colonne, value=valeur)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def retoucher(contenu: bytes, nom: str, changer) -> bytes:
    """The same archive with one member's bytes changed (or added when absent)."""
    entree, sortie = zipfile.ZipFile(io.BytesIO(contenu)), io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as copie:
        for membre in entree.infolist():
            donnees = entree.read(membre)
            copie.writestr(membre.filename, changer(donnees) if membre.filename == nom else donnees)
        if nom not in entree.namelist():
            copie.writestr(nom, changer(b""))
    return sortie.getvalue()


def declarer_dimension(contenu: bytes, ref: str) -> bytes:
    def changer(xml: bytes) -> bytes:
        debut = xml.index(b"<dimension ref=")
        fin = xml.index(b"/>", debut)
        return xml[:debut] + f'<dimension ref="{ref}"'.encode() + xml[fin:]

    return retoucher(contenu, "xl/worksheets/sheet1.xml", changer)


def refus(contenu: bytes, **options) -> str:
    with pytest.raises(TableauIllisible) as erreur:
        lire_tableau(contenu, **options)
    return erreur.value.message


# CSV -----------------------------------------------------------------------------------------------------------------


def test_un_csv_d_en_tete_tres_large_est_refuse():
    contenu = ";".join(f"c{i}" for i in range(100_000)).encode() + b"\n1;2\n"

    assert refus(contenu) == (
        f"l’en-tête compte 100\xa0000 colonnes, {COLONNES_MAX} au plus : est-ce bien le bon fichier ?"
    )


def test_une_ligne_de_csv_tres_large_est_refusee_avec_son_numero():
    contenu = b"a;b\n1;2\n" + b";" * 5000 + b"x\n"

    with pytest.raises(TableauIllisible) as erreur:
        lire_csv(contenu)
    assert erreur.value.ligne == 3
    assert "la ligne 3 compte 5\xa0001 colonnes" in erreur.value.message


def test_un_csv_a_la_largeur_permise_est_lu():
    entete = ";".join(f"c{i}" for i in range(COLONNES_MAX))

    assert len(lire_csv(f"{entete}\n1\n".encode()).entete) == COLONNES_MAX


def test_trop_de_lignes_vides_d_affilee_dans_un_csv():
    contenu = b"a;b\n1;2\n" + b";\n" * (LIGNES_VIDES_MAX + 1) + b"3;4\n"

    assert refus(contenu).startswith("plus de 10\xa0000 lignes vides d’affilée")
    assert len(lire_csv(b"a;b\n1;2\n" + b";\n" * LIGNES_VIDES_MAX + b"3;4\n").lignes) == 2


def test_la_lecture_a_un_budget_de_temps(monkeypatch):
    horloge = itertools.count(0, 10)  # every look at the clock: ten seconds later
    monkeypatch.setattr(tableaux.time, "monotonic", lambda: next(horloge))

    message = refus(b"a;b\n1;2\n3;4\n5;6\n", duree_max=25)

    assert message.startswith("la lecture du fichier a dépassé 25 secondes")


# XLSX ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:HZ10", "A1:B1048576"])
def test_un_classeur_qui_declare_une_feuille_immense_est_refuse_avant_d_etre_ouvert(ref, monkeypatch):
    contenu = declarer_dimension(xlsx(["a", "b"], [1, 2]), ref)
    assert len(contenu) < 10_000
    monkeypatch.setattr(openpyxl, "load_workbook", None)  # refused before openpyxl opens anything

    assert "une feuille du classeur déclare" in refus(contenu)


def test_une_dimension_plus_petite_que_le_contenu_ne_fait_perdre_aucune_ligne():
    contenu = declarer_dimension(xlsx(["a", "b"], *[[n, n] for n in range(5)]), "A1:B2")

    assert [valeurs for _, valeurs in lire_tableau(contenu).lignes] == [[str(n), str(n)] for n in range(5)]


def test_une_ligne_tres_large_d_un_classeur_est_refusee():
    contenu = xlsx(["a", "b"], [1, 2], cellules=[(3, 5000, "x")])
    contenu = declarer_dimension(contenu, "A1:B3")  # the dimension lies: the row itself is measured

    assert "la ligne 3 compte 5\xa0000 colonnes" in refus(contenu)


def test_trop_de_lignes_vides_d_affilee_dans_un_classeur():
    # Rows 1, 2 then 100 000: openpyxl yields every missing row in between.
    contenu = xlsx(["a", "b"], [1, 2], cellules=[(100_000, 1, "x")])

    assert "lignes vides d’affilée" in refus(contenu)


def test_un_classeur_qui_annonce_des_millions_de_textes_est_refuse(monkeypatch):
    def chaines(_xml):
        return (
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="5000000" uniqueCount="5000000"><si><t>a</t></si></sst>'
        )

    contenu = retoucher(xlsx(["a", "b"], [1, 2]), "xl/sharedStrings.xml", chaines)
    monkeypatch.setattr(openpyxl, "load_workbook", None)

    assert refus(contenu).startswith("le classeur contient 5\xa0000\xa0000 textes")


def test_une_bombe_de_decompression_est_refusee():
    contenu = retoucher(xlsx(["a", "b"], [1, 2]), "xl/media/image1.png", lambda _: b"\0" * (5 * 1024 * 1024))
    assert len(contenu) < 50_000

    assert "compressé plus de 100 fois" in refus(contenu)


def test_un_classeur_trop_lourd_une_fois_decompresse_est_refuse(monkeypatch):
    monkeypatch.setattr(archives, "DECOMPRESSE_MAX", 1000)

    assert refus(xlsx(["a", "b"], [1, 2])).startswith("une fois décompressé, le fichier pèserait")


def test_un_classeur_ordinaire_passe_les_bornes():
    tableau = lire_tableau(xlsx(["a", "b"], *[[n, f"texte {n}"] for n in range(500)]))

    assert len(tableau.lignes) == 500
