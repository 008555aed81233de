"""Forms of the directory: « Ma fiche dans l'annuaire » (consent and what to show) and the search (a plain GET)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from ti.animation.models import Theme
from ti.animation.models_annuaire import FicheAnnuaire
from ti.referentiel.models import Region


class FicheAnnuaireForm(DsfrBaseForm, forms.ModelForm):
    consentement = forms.BooleanField(
        label="J’accepte de figurer dans l’annuaire du réseau",
        help_text="Visible des seuls membres connectés du réseau. Vous pouvez retirer votre fiche à tout moment.",
    )
    themes = forms.MultipleChoiceField(
        label="Mes thèmes d’expertise", required=False, choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FicheAnnuaire
        fields = ["fonction", "presentation", "montrer_organisation", "montrer_courriel", "telephone",
                  "montrer_telephone"]  # fmt: skip
        widgets = {"presentation": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"presentation": "Ce que vous pouvez apporter aux autres territoires (1 000 caractères au plus)."}

    def clean(self):
        donnees = super().clean()
        if donnees.get("montrer_telephone") and not donnees.get("telephone"):
            self.add_error("telephone", "Indiquez le téléphone à montrer, ou décochez « montrer mon téléphone ».")
        return donnees

    def champs_montres(self) -> dict:
        return {nom: self.cleaned_data[nom] for nom in self.Meta.fields}


class RechercheAnnuaireForm(DsfrBaseForm):
    region = forms.ModelChoiceField(
        label="Région", required=False, queryset=Region.objects.order_by("nom"), to_field_name="code",
        empty_label="Toutes",
    )  # fmt: skip
    territoire = forms.CharField(label="Territoire", required=False, max_length=200, help_text="Tout ou partie du nom.")
    theme = forms.ChoiceField(label="Thème d’expertise", required=False, choices=[("", "Tous"), *Theme.choices])

    def criteres(self) -> dict:
        return {
            "region": self.cleaned_data["region"].code if self.cleaned_data.get("region") else "",
            "territoire": self.cleaned_data.get("territoire", "").strip(),
            "theme": self.cleaned_data.get("theme") or "",
        }
