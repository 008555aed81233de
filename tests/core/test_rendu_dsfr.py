"""DSFR forms share one template engine per process, and render the same HTML as before."""

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from ti.core import rendu_dsfr


class FormulaireExemple(DsfrBaseForm):
    q = forms.CharField(label="Nom de la commune", help_text="Par exemple : Châteauroux.", max_length=100)
    choix = forms.ChoiceField(label="Choix", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


class MoteurPropre(DsfrDjangoTemplates):
    """django-dsfr's own behaviour, without the shared engine: one engine per renderer."""

    engine = rendu_dsfr._moteur_par_instance


def test_deux_formulaires_dsfr_partagent_le_meme_moteur_de_gabarits():
    premier, second = FormulaireExemple(), FormulaireExemple({"q": ""})

    assert premier.renderer is not second.renderer  # Django still builds one renderer per form: that is cheap
    assert premier.renderer.engine is second.renderer.engine


def test_un_gabarit_de_formulaire_n_est_compile_qu_une_fois_par_processus():
    nom = "dsfr/form_field_snippets/input_snippet.html"
    premier = FormulaireExemple().renderer.engine.get_template(nom).template
    second = FormulaireExemple().renderer.engine.get_template(nom).template

    assert premier is second


def test_le_html_est_celui_du_moteur_propre_a_chaque_formulaire():
    """The package's own engine (one per form) is the reference: same templates, same lookup order."""
    formulaire = FormulaireExemple({"q": "", "choix": "c"})
    partage = str(formulaire)

    formulaire.renderer = MoteurPropre()

    assert formulaire.renderer.engine is not FormulaireExemple().renderer.engine
    assert str(formulaire) == partage
    assert "fr-input-group--error" in partage and "fr-fieldset" in partage


def test_partager_le_moteur_une_seconde_fois_ne_change_rien():
    moteur = FormulaireExemple().renderer.engine

    rendu_dsfr.partager_le_moteur_dsfr()

    assert FormulaireExemple().renderer.engine is moteur
