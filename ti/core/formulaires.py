"""Form pieces shared by the apps: the optional motif of a change, and inline formsets that check the rows they
edit without one query per row."""

from django import forms
from django.core.exceptions import ValidationError


def champ_motif(aide: str, *, libelle: str = "Motif de la modification") -> forms.CharField:
    """The optional `motif` of a change, that the journal keeps with it; `aide` says where it will be read."""
    return forms.CharField(
        label=libelle, help_text=aide, required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class LigneExistante(forms.ModelChoiceField):
    """The hidden id of an existing row, checked against the rows the formset read once.

    Django's own field would run one query per row, and accept the id of a row that belongs to another parent."""

    widget = forms.HiddenInput

    def __init__(self, *, existantes: dict, message: str, modele, **kwargs):
        super().__init__(queryset=modele.objects.none(), required=False, **kwargs)
        self.existantes = existantes
        self.error_messages["invalid_choice"] = message

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.existantes[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class FormSetDeLignes(forms.BaseInlineFormSet):
    """Subclasses say, in French, what a foreign row is (`ligne_etrangere`, `lignes_etrangeres`)."""

    ligne_etrangere = "Cette ligne ne fait pas partie de cet enregistrement : rechargez la page."
    lignes_etrangeres = "Une des lignes ne fait pas partie de cet enregistrement : rechargez la page."
    libelle_suppression = "Supprimer cette ligne"

    def get_queryset(self):
        if not hasattr(self, "_lignes"):
            self._lignes = super().get_queryset().order_by("pk")
        return self._lignes

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not hasattr(self, "_existantes"):
            self._existantes = {ligne.pk: ligne for ligne in self.get_queryset()}
        form.fields["id"] = LigneExistante(
            existantes=self._existantes,
            message=self.ligne_etrangere,
            modele=self.model,
            initial=form.fields["id"].initial,
        )
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.libelle_suppression

    def clean(self):
        super().clean()
        # A row sent as existing but unknown to this parent would otherwise be saved as a new row.
        if any(form.instance.pk is None and "id" not in form.errors for form in self.initial_forms):
            raise ValidationError(self.lignes_etrangeres)
