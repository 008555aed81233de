from django import forms

from ti.notifications.models import Frequence


class FrequenceForm(forms.Form):
    frequence = forms.ChoiceField(
        label="Recevoir mes notifications par courriel", choices=Frequence.choices, widget=forms.RadioSelect
    )
