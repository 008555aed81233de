"""The one escaping rule of generated Word documents (`ti.core.documents_word`), on the real templates."""

import io
import zipfile

from docx import Document
from lxml import etree

from ti.core.documents_word import remplir_modele, texte_docx
from ti.financements.lettre import MODELE as MODELE_LETTRE
from ti.projets.plans_annexe import MODELE_ANNEXE

INJECTION = "</w:t></w:r></w:p><w:p><w:r><w:t>Paragraphe injecté"
HOSTILES = [
    INJECTION,
    "{{ signataire }} et {% if True %}bloc{% endif %}",
    "{_{ marque docxtpl }_} {_% bloc %_}",
    ']]><!--<?xml version="1.0"?>&amp;&#60;',
]
ORDINAIRES = [
    "Dupont & Fils <SAS>",
    'L’atelier « Les 3 Rivières » — "ÉTS" d\'Orléans',
    "Usine ♻️ décarbonée 🏭 ⚡",
    "a < b > c & d",
]


def contexte_lettre(**valeurs) -> dict:
    contexte = dict.fromkeys(
        [
            "region",
            "date",
            "porteur",
            "siret",
            "commune",
            "dispositif",
            "reference",
            "intitule",
            "aide_demandee",
            "cout_eligible",
            "phrase_decision",
            "montant",
            "motif",
            "signataire",
        ],
        "x",
    )
    contexte.update(valeurs)
    return contexte


def paragraphes(contenu: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(contenu)).paragraphs]


def test_le_document_est_un_docx_valide_et_garde_chaque_valeur_telle_quelle():
    temoin = paragraphes(remplir_modele(MODELE_LETTRE, contexte_lettre()))

    for valeur in HOSTILES + ORDINAIRES:
        contenu = remplir_modele(MODELE_LETTRE, contexte_lettre(intitule=valeur, porteur=valeur, motif=valeur))

        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            etree.fromstring(archive.read("word/document.xml"))  # strict XML parser: raises on broken XML
        lus = paragraphes(contenu)
        assert len(lus) == len(temoin), valeur
        assert f"Dossier x — « {valeur} »" in lus, valeur
        assert f"Motifs : {valeur}" in lus, valeur
        assert "Paragraphe injecté" not in lus


def test_les_caracteres_interdits_ou_interpretes_sont_retires():
    contenu = remplir_modele(MODELE_LETTRE, contexte_lettre(intitule="Cloche\adans\fle\x00titre\x1b"))

    lus = paragraphes(contenu)
    assert "Dossier x — « Clochedans\nletitre »" in lus  # \a (a paragraph for docxtpl) dropped, \f a line break
    assert len(lus) == len(paragraphes(remplir_modele(MODELE_LETTRE, contexte_lettre())))


def test_les_retours_a_la_ligne_restent_des_retours_a_la_ligne():
    contenu = remplir_modele(MODELE_LETTRE, contexte_lettre(motif="Première raison\r\nDeuxième\rTroisième\nQuatrième"))

    xml = zipfile.ZipFile(io.BytesIO(contenu)).read("word/document.xml").decode()
    assert "Motifs : Première raison\nDeuxième\nTroisième\nQuatrième" in paragraphes(contenu)
    assert xml.count("<w:br/>") >= 3


def test_une_valeur_absente_est_vide():
    assert texte_docx(None) == ""


def test_l_annexe_du_plan_suit_la_meme_regle():
    fiche = dict.fromkeys(
        ["titre", "axe", "themes", "phase", "porteur", "commune", "budget", "financements", "impact"], "x"
    )
    fiche.update(numero=1, titre=INJECTION, porteur=ORDINAIRES[0], description="Ligne 1\nLigne 2")
    contexte = {"territoire": ORDINAIRES[1], "fiches": [fiche], "signataires": [], "nombre_de_fiches": 1}

    contenu = remplir_modele(MODELE_ANNEXE, contexte)

    document = Document(io.BytesIO(contenu))
    texte = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert INJECTION in texte
    assert ORDINAIRES[0] in texte and ORDINAIRES[1] in texte
    assert "Ligne 1\nLigne 2" in texte
