"""The bench's write scenarios post a page's form as a browser would (bench/formulaires.py)."""

from urllib.parse import parse_qsl

from bench import formulaires

PAGE = """
<form method="get" action="/projets/"><input name="q" value="x"></form>
<form method="post" action="/projets/12/modifier/">
  <input type="hidden" name="csrfmiddlewaretoken" value="jeton-de-la-page">
  <input type="hidden" name="version" value="3">
  <input name="titre" value="Usine &amp; atelier">
  <input type="checkbox" name="publie" checked>
  <input type="checkbox" name="archive" value="oui">
  <input type="radio" name="volet" value="a">
  <input type="radio" name="volet" value="b" checked>
  <input type="file" name="document">
  <input name="desactive" value="1" disabled>
  <select name="territoire"><option value="">—</option><option value="t2" selected>T2</option></select>
  <select name="commune"><option value="c1">C1</option><option value="c2">C2</option></select>
  <select name="themes" multiple><option value="a">A</option><option value="b" selected>B</option></select>
  <textarea name="description">
Première ligne</textarea>
  <button type="submit" name="action" value="enregistrer">Enregistrer</button>
</form>
"""


def test_les_champs_sont_ceux_qu_envoie_un_navigateur_sans_le_jeton_csrf():
    assert formulaires.formulaire(PAGE, "/modifier/") == [
        ["version", "3"],
        ["titre", "Usine & atelier"],
        ["publie", "on"],
        ["volet", "b"],
        ["territoire", "t2"],
        ["commune", "c1"],  # no option selected: the first one, as a browser sends it
        ["themes", "b"],
        ["description", "Première ligne"],  # the newline right after <textarea> is not part of the value
    ]


def test_seuls_les_formulaires_post_de_l_action_demandee():
    assert formulaires.formulaire(PAGE, "/projets/") is None  # the search form is a GET
    assert formulaires.formulaire(PAGE, "/supprimer/") is None


def test_le_corps_porte_le_jeton_du_cookie_et_le_champ_remplace():
    champs = formulaires.remplacer(formulaires.formulaire(PAGE, "/modifier/"), "titre", "Autre")
    champs = formulaires.remplacer(champs, "action", "enregistrer")
    corps = dict(parse_qsl(formulaires.corps(champs, "s" * 32)))
    assert corps["csrfmiddlewaretoken"] == "s" * 32
    assert corps["titre"] == "Autre"
    assert corps["action"] == "enregistrer"
