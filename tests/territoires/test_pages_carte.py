"""The map of France by département, drawn on the server from the shipped SVG."""

from types import SimpleNamespace
from unittest import mock
from xml.etree import ElementTree

from ti.territoires import carte


def departement(code, nom):
    return SimpleNamespace(code=code, nom=nom)


def test_le_fond_de_carte_contient_les_96_departements_metropolitains():
    fond = carte.fond_de_carte()

    assert len(fond.traces) == 96
    assert {"01", "2A", "2B", "36", "95"} <= fond.codes
    assert "971" not in fond.codes and "20" not in fond.codes
    assert fond.viewbox == "0 0 613 585"
    assert next(t for t in fond.traces if t.code == "36").nom == "Indre"


def test_le_fichier_n_est_lu_qu_une_fois_par_processus():
    carte.fond_de_carte.cache_clear()
    with mock.patch.object(carte.ElementTree, "parse", wraps=ElementTree.parse) as lecture:
        carte.fond_de_carte()
        carte.carte_svg(["36"], titre="t", description="d", identifiant="a")
        carte.carte_svg(["45"], titre="t", description="d", identifiant="b")

    assert lecture.call_count == 1


def test_la_carte_est_une_image_accessible_avec_les_departements_actifs_marques():
    svg = carte.carte_svg(["36", "2A"], titre="Mon territoire", description="Indre et Corse-du-Sud.", identifiant="c")

    racine = ElementTree.fromstring(str(svg))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert racine.get("role") == "img"
    assert racine.get("aria-labelledby") == "c-titre c-desc"
    assert racine.find("svg:title", ns).text == "Mon territoire"
    assert racine.find("svg:desc", ns).text == "Indre et Corse-du-Sud."
    actifs = [p.get("data-code") for p in racine.findall("svg:path", ns) if p.get("class") == carte.CLASSE_ACTIVE]
    assert sorted(actifs) == ["2A", "36"]
    assert len(racine.findall("svg:path", ns)) == 96
    assert all(p.get("id") is None for p in racine.findall("svg:path", ns))  # no id "36" to clash with the page's


def test_les_textes_de_la_carte_sont_echappes():
    svg = carte.carte_svg([], titre="<script>alert(1)</script>", description="A & B", identifiant="d")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; B" in svg


def test_les_departements_d_outre_mer_sont_annonces_hors_carte():
    contexte = carte.carte_des_departements(
        [departement("971", "Guadeloupe"), departement("36", "Indre")], titre="t", identifiant="e"
    )

    assert [d.code for d in contexte["dessines"]] == ["36"]
    assert [d.code for d in contexte["hors_carte"]] == ["971"]
    assert 'data-code="36" class="ti-carte__actif"' in contexte["svg"]


def test_sans_departement_metropolitain_il_n_y_a_pas_de_carte():
    contexte = carte.carte_des_departements([departement("974", "La Réunion")], titre="t")

    assert contexte["svg"] is None
    assert [d.code for d in contexte["hors_carte"]] == ["974"]
