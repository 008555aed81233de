from django import forms
from dsfr.forms import DsfrBaseForm

from ti.animation.models import Fil, Reponse


class FilForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Fil
        fields = ["theme", "titre", "texte"]
        labels = {"titre": "Votre question, en une ligne", "texte": "Précisez le contexte"}
        help_texts = {"texte": "Texte simple ; les retours à la ligne sont conservés."}


class ReponseForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Reponse
        fields = ["texte"]
        labels = {"texte": "Votre réponse"}
