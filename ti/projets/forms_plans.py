"""The forms of the plan d’action pages: a step of the plan’s workflow, the contract and its signatories."""

from django import forms
from dsfr.forms import DsfrBaseForm

from ti.core.formats import date_fr
from ti.core.formulaires import FormSetDeLignes, champ_motif
from ti.projets.actions import plans as actions
from ti.projets.models import ContratTerritoire, PlanAction, Signataire, StatutPlan
from ti.territoires.models import Territoire


class TransitionForm(DsfrBaseForm):
    ACTIONS = {
        "soumettre": actions.soumettre_plan,
        "valider": actions.valider_plan,
        "renvoyer": actions.renvoyer_plan,
    }

    action = forms.ChoiceField(
        choices=[("soumettre", "Soumettre"), ("valider", "Valider"), ("renvoyer", "Renvoyer")],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Cette étape du plan d’action n’existe pas."},
    )
    motif = forms.CharField(
        label="Motif ou message",
        help_text="Obligatoire pour renvoyer le plan au chef de projet ; il figure dans l’historique du plan.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transitions_vues = forms.IntegerField(
        label="État de la page",
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": "La page est incomplète : rechargez-la.", "invalid": "Rechargez la page."},
    )


class ContratForm(DsfrBaseForm, forms.ModelForm):
    motif = champ_motif("Facultatif ; il figurera dans l’historique du contrat.")

    class Meta:
        model = ContratTerritoire
        fields = actions.CHAMPS_CONTRAT
        labels = {"plan": "Version du plan d’action annexée"}
        help_texts = {
            "intitule": "Par exemple : Contrat de territoire d’industrie de l’Est du Loiret 2023-2027.",
            "plan": "Seules les versions validées par le binôme peuvent être annexées.",
        }
        widgets = {"date_signature": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, territoire: Territoire, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        plan.queryset = PlanAction.objects.filter(territoire=territoire, statut=StatutPlan.VALIDE).order_by("-numero")
        plan.label_from_instance = lambda p: f"Version {p.numero}, validée le {date_fr(p.valide_le)}"
        plan.empty_label = "Aucune pour l’instant"
        plan.error_messages["invalid_choice"] = "Choisissez une version validée du plan d’action de ce territoire."

    def donnees(self) -> dict:
        return {champ: self.cleaned_data[champ] for champ in actions.CHAMPS_CONTRAT}


class SignataireForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Signataire
        fields = actions.CHAMPS_SIGNATAIRE
        labels = {"type": "Type de signataire", "organisme": "Organisme"}
        help_texts = {"organisme": "Par exemple : Préfecture du Loiret, Région Centre-Val de Loire, Bpifrance."}
        widgets = {"date_signature": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Choisir un type"), *Signataire.Type.choices]


class BaseSignataireFormSet(FormSetDeLignes):
    ligne_etrangere = "Ce signataire ne fait pas partie de ce contrat : rechargez la page."
    lignes_etrangeres = "Un des signataires ne fait pas partie de ce contrat : rechargez la page."
    libelle_suppression = "Retirer ce signataire"

    def donnees(self) -> list[dict]:
        """The signatories added, changed or removed, for `actions.enregistrer_contrat` (after `is_valid()`)."""
        return [
            {
                "id": form.instance.pk,
                "supprimer": bool(form.cleaned_data.get("DELETE")),
                **{champ: form.cleaned_data.get(champ) for champ in actions.CHAMPS_SIGNATAIRE},
            }
            for form in self.forms
            if form.has_changed() and (form.instance.pk or not form.cleaned_data.get("DELETE"))
        ]


SignataireFormSet = forms.inlineformset_factory(
    ContratTerritoire,
    Signataire,
    form=SignataireForm,
    formset=BaseSignataireFormSet,
    fields=actions.CHAMPS_SIGNATAIRE,
    extra=1,
    can_delete=True,
)
