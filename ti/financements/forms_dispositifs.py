"""Forms of the national team's pages on a dispositif: the split of its envelopes by région, a credit transfer.

They check the input and give clear French errors; the actions check the rules again under row locks."""

from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from ti.core.formats import euros
from ti.financements.models import Enveloppe
from ti.projets.forms import MontantField


class EnveloppeForm(DsfrBaseForm):
    """One row of the split: the envelope of one région (its name is the field's label)."""

    region = forms.CharField(widget=forms.HiddenInput)
    montant = MontantField(
        label="Montant", min_value=0, max_digits=14, decimal_places=2, required=False, exemple="5 600 000"
    )

    def __init__(self, *args, region=None, accorde=Decimal("0"), **kwargs):
        super().__init__(*args, **kwargs)
        self.region_objet, self.accorde = region, accorde
        self.fields["montant"].label = region.nom
        self.fields["montant"].help_text = (
            f"Déjà accordé : {euros(accorde)}, le minimum de cette enveloppe." if accorde else ""
        )
        self._bound_fields_cache.pop("montant", None)  # built by DsfrBaseForm before the label was set

    def clean_region(self):
        if self.cleaned_data["region"] != self.region_objet.code:
            raise forms.ValidationError("La liste des régions a changé : rechargez la page.")
        return self.region_objet

    def clean_montant(self):
        montant = self.cleaned_data["montant"] or Decimal("0")
        if montant < self.accorde:
            raise forms.ValidationError(
                f"{self.region_objet.nom} a déjà accordé {euros(self.accorde)} : "
                "l’enveloppe ne peut pas être inférieure."
            )
        return montant


LISTE_CHANGEE = "La liste des régions a changé : rechargez la page."


class BaseRepartitionFormSet(forms.BaseFormSet):
    """One row per région, exactly: a management form that says otherwise (tampered, stale, missing) is refused
    with one clear sentence before any row is built, whatever TOTAL_FORMS claims."""

    def __init__(self, *args, regions, accordes, plafond, hors_annee, **kwargs):
        self.regions, self.accordes, self.plafond, self.hors_annee = regions, accordes, plafond, hors_annee
        kwargs.setdefault(
            "error_messages",
            {"missing_management_form": LISTE_CHANGEE, "too_many_forms": LISTE_CHANGEE, "too_few_forms": LISTE_CHANGEE},
        )
        super().__init__(*args, **kwargs)
        self.min_num = self.max_num = self.absolute_max = len(regions)

    def get_form_kwargs(self, index):
        region = self.regions[index]
        return {"region": region, "accorde": self.accordes.get(region.code, Decimal("0"))}

    def total_saisi(self) -> Decimal | None:
        """The total typed in a bound formset, for the running total (None if a row does not read as a number)."""
        total = Decimal("0")
        for form in self.forms:
            champ = form.fields["montant"]
            try:
                total += champ.clean(form["montant"].data) or Decimal("0")
            except forms.ValidationError:
                return None
        return total

    def clean(self):
        if any(self.errors):
            return
        total = sum((form.cleaned_data["montant"] for form in self.forms), Decimal("0")) + self.hors_annee
        if total > self.plafond:
            raise forms.ValidationError(
                f"Les enveloppes totalisent {euros(total)} : c’est {euros(total - self.plafond)} de plus que le "
                f"montant du dispositif ({euros(self.plafond)})."
            )

    def montants(self) -> dict:
        return {form.cleaned_data["region"]: form.cleaned_data["montant"] for form in self.forms}


RepartitionFormSet = forms.formset_factory(
    EnveloppeForm, formset=BaseRepartitionFormSet, extra=0, validate_min=True, validate_max=True
)


class MotifForm(DsfrBaseForm):
    motif = forms.CharField(
        label="Motif de la répartition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Facultatif : il figure au journal de chaque enveloppe modifiée.",
    )


class EnveloppeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, enveloppe):
        return f"{enveloppe.region.nom} {enveloppe.annee} — {euros(enveloppe.montant)}, reste {euros(enveloppe.reste)}"


class TransfertForm(DsfrBaseForm):
    depuis = EnveloppeChoiceField(label="Enveloppe qui cède les crédits", queryset=Enveloppe.objects.none())
    vers = EnveloppeChoiceField(label="Enveloppe qui les reçoit", queryset=Enveloppe.objects.none())
    montant = MontantField(label="Montant transféré (€)", min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    motif = forms.CharField(
        label="Motif du transfert",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire : il figure au journal des deux enveloppes.",
    )

    def __init__(self, *args, dispositif, **kwargs):
        super().__init__(*args, **kwargs)
        enveloppes = dispositif.enveloppes.select_related("region").order_by("region__nom", "annee")
        for champ in ("depuis", "vers"):
            self.fields[champ].queryset = enveloppes
            self.fields[champ].empty_label = "Choisissez une enveloppe"
        self.fields["montant"].error_messages["min_value"] = "Le montant à transférer doit être positif."

    def clean_motif(self):
        motif = self.cleaned_data["motif"].strip()
        if not motif:
            raise forms.ValidationError("Indiquez le motif du transfert.")
        return motif

    def clean(self):
        donnees = super().clean()
        if donnees.get("depuis") and donnees.get("vers") and donnees["depuis"] == donnees["vers"]:
            self.add_error("vers", "Choisissez une enveloppe différente de celle qui cède les crédits.")
        return donnees


class SignataireForm(DsfrBaseForm):
    qualite = forms.CharField(
        label="Qualité du signataire",
        max_length=255,
        help_text="Telle qu’elle figure sous la signature, par exemple « Le préfet de la région Centre-Val de Loire ».",
    )
    nom = forms.CharField(label="Prénom et nom du signataire", max_length=150, required=False)
    siret = forms.CharField(
        label="SIRET de l’autorité signataire",
        max_length=20,
        required=False,
        help_text="Celui de la préfecture de région, 14 chiffres : sans lui, les subventions de cette enveloppe ne "
        "sont pas publiées dans les données ouvertes (l’attribuant y est obligatoire).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReferencesJuridiquesForm(DsfrBaseForm):
    references = forms.CharField(
        label="Références juridiques",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Un texte par ligne (loi, décret, arrêté, circulaire) : les lettres de décision les citent "
        "après « Vu : ».",
    )
