"""The search form of the projects: text and facet filters, read from the query string.

A filter value that names nothing known (`axe=voler`, an unknown région or territory) is a French error on the form,
never a 500 nor a silently ignored filter. Values are checked against the database only when given: one query per
kind of filter used (régions, territories, themes), none for the fixed lists (axes, phases, statuses).
"""

from django import forms
from dsfr.forms import DsfrBaseForm

from ti.projets.models import Axe, PhaseProjet, StatutPhase
from ti.projets.selectors_filtres import FILTRES, valeurs_inconnues

LONGUEUR_MAX = 200


class CodesField(forms.MultipleChoiceField):
    """Several codes (ticked boxes, repeated parameters); known codes are checked by the form's `clean_<name>`."""

    def valid_value(self, value):
        return len(value) <= 50


def _liste(valeurs: list[str]) -> str:
    return ", ".join(f"« {v[:50]} »" for v in valeurs)


class RechercheProjetsForm(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        help_text="Titre, description, porteur, commune, partenaires ; accents et majuscules ignorés.",
        required=False,
        max_length=LONGUEUR_MAX,
        error_messages={"max_length": f"La recherche ne doit pas dépasser {LONGUEUR_MAX} caractères."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = CodesField(label="Région", required=False)
    territoire = CodesField(label="Territoire", required=False)
    axe = forms.MultipleChoiceField(
        label="Axe",
        choices=Axe.choices,
        required=False,
        error_messages={
            "invalid_choice": "Axe inconnu : « %(value)s ». Les axes sont recruter, innover, attirer et simplifier."
        },
    )
    theme = CodesField(label="Thème", required=False)
    phase = forms.MultipleChoiceField(
        label="Phase",
        choices=PhaseProjet.choices,
        required=False,
        error_messages={"invalid_choice": "Phase inconnue : « %(value)s ». Les phases sont idée, étude et opération."},
    )
    statut = forms.MultipleChoiceField(
        label="Statut de la phase",
        choices=StatutPhase.choices,
        required=False,
        error_messages={"invalid_choice": "Statut de phase inconnu : « %(value)s »."},
    )

    def _connus(self, nom: str, message: str) -> list[str]:
        valeurs = list(dict.fromkeys(self.cleaned_data.get(nom) or []))
        inconnues = valeurs_inconnues(nom, valeurs)
        if inconnues:
            raise forms.ValidationError(f"{message} : {_liste(inconnues)}.")
        return valeurs

    def clean_region(self):
        return self._connus("region", "Région inconnue")

    def clean_territoire(self):
        return self._connus("territoire", "Territoire inconnu")

    def clean_theme(self):
        return self._connus("theme", "Thème inconnu")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def criteres(self) -> dict:
        """The keyword arguments of `rechercher_projets` and `facettes` (call after `is_valid()`)."""
        return {"q": self.cleaned_data.get("q") or "", **{nom: self.cleaned_data.get(nom) or [] for nom in FILTRES}}
