"""The map of France by département: one static file of outlines, and a small SVG per page that refers to it."""

import re
from types import SimpleNamespace
from unittest import mock
from xml.etree import ElementTree

from django.contrib.staticfiles import finders

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
    html = carte.carte_svg(["36", "2A"], titre="Mon territoire", description="Indre et Corse-du-Sud.", identifiant="c")

    assert html.startswith('<div class="ti-carte__cadre">') and html.endswith("</svg></div>")
    image = html[html.index("<img") : html.index("<svg")]
    racine = ElementTree.fromstring(html[html.index("<svg") : -len("</div>")])
    ns = {"svg": "http://www.w3.org/2000/svg"}
    # The whole map, from the static file: an image without text of its own, fetched when it nears the screen, its
    # size given so that nothing moves when it arrives.
    assert 'src="/static/territoires/carte-departements.svg" alt=""' in image
    assert 'width="613" height="585" loading="lazy"' in image
    # Over it, the map's accessible name and text, and the highlighted départements alone, each with its name.
    assert racine.get("role") == "img"
    assert racine.get("aria-labelledby") == "c-titre c-desc"
    assert racine.find("svg:title", ns).text == "Mon territoire"
    assert racine.find("svg:desc", ns).text == "Indre et Corse-du-Sud."
    actifs = racine.findall("svg:path", ns)
    traces = {trace.code: trace.d for trace in carte.fond_de_carte().traces}
    assert [(p.get("data-code"), p.get("class"), p.get("d")) for p in actifs] == [
        ("2A", carte.CLASSE_ACTIVE, traces["2A"]),
        ("36", carte.CLASSE_ACTIVE, traces["36"]),
    ]
    assert [p.find("svg:title", ns).text for p in actifs] == ["Corse-du-Sud", "Indre"]


def test_la_page_ne_porte_que_les_departements_mis_en_evidence():
    un = carte.carte_svg(["36"], titre="t", description="d", identifiant="f")

    assert len(un) < 3000  # the Indre's outline; the other 95 are in the static file
    assert un.count("<path") == 1


def test_les_traces_sont_arrondis_au_dixieme_sans_que_l_erreur_s_ajoute():
    assert carte.arrondir("m 413.70408,308.36159 6.69,-20.52 0,0 0.4,1.07 z m 1,1 2,2 z") == (
        "m 413.7,308.4 6.7,-20.6 0.4,1.1 z m 1,1 2,2 z"
    )
    assert carte.arrondir("m 413.70408,308.36159 6.69,-20.52 0.4,1.07 z", 0) == "m 414,308 6,-20 1,1 z"
    # 100 steps of 0.04, each of which would round to 0: the outline still ends 4 units further.
    fin = 0.0
    for pas in carte.arrondir("m 0,0 " + "0.04,0 " * 100 + "z").split()[2:-1]:
        fin += float(pas.split(",")[0])
    assert round(fin, 6) == 4.0


def test_le_fichier_statique_est_celui_que_donne_le_fond_de_carte():
    """After a change of data/maps/france.departments.svg, regenerate it: `carte.ecrire_fichier_statique()`."""
    assert finders.find(carte.STATIQUE) == str(carte.FICHIER_STATIQUE)
    assert carte.FICHIER_STATIQUE.read_text(encoding="utf-8") == carte.contenu_statique()


def test_le_fichier_statique_dessine_a_l_unite_sous_les_departements_mis_en_evidence_au_dixieme():
    texte = carte.FICHIER_STATIQUE.read_text(encoding="utf-8")

    assert not re.search(r'd="[^"]*\.', texte)  # the grey ground, to the unit
    assert "." in next(trace.d for trace in carte.fond_de_carte().traces if trace.code == "36")  # the page's, finer
    assert len(texte) < 60_000


def test_le_fichier_statique_porte_chaque_departement_sous_un_identifiant_et_cite_sa_source():
    texte = carte.FICHIER_STATIQUE.read_text(encoding="utf-8")
    racine = ElementTree.fromstring(texte.encode())
    ns = {"svg": "http://www.w3.org/2000/svg"}

    groupe = racine.find("svg:g", ns)
    assert groupe.get("id") == carte.GROUPE
    # No colour below the root: the page's <use> gives them (DSFR tokens, dark mode).
    assert groupe.get("fill") is None and all(p.get("fill") is None for p in groupe.findall("svg:path", ns))
    chemins = {p.get("id"): p.find("svg:title", ns).text for p in groupe.findall("svg:path", ns)}
    assert len(chemins) == 96
    assert chemins["d-36"] == "Indre" and chemins["d-2A"] == "Corse-du-Sud"
    assert "MapSVG" in texte and "CC BY 4.0" in texte


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
