"""The forms of the account's security pages: the second factor's code (at login and at enrolment), API tokens."""

from django import forms
from dsfr.forms import DsfrBaseForm


class CodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Les 6 chiffres affichés par votre application d’authentification, ou un code de secours.",
        max_length=32,
        error_messages={"required": "Saisissez le code affiché par votre application."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class ActivationForm(CodeForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Les 6 chiffres affichés par l’application, une fois le compte ajouté.",
        max_length=32,
        error_messages={"required": "Saisissez le code affiché par votre application."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "numeric"}),
    )


class JetonForm(DsfrBaseForm):
    nom = forms.CharField(
        label="Nom du jeton",
        help_text="À quoi il sert, pour le reconnaître plus tard : par exemple « Tableau de bord régional ».",
        max_length=100,
        error_messages={"required": "Donnez un nom au jeton, pour le reconnaître plus tard."},
    )
