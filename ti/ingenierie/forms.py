"""Forms of the engineering part: the catalogue's search (a link), the territory's request, the triage steps."""

from django import forms
from dsfr.forms import DsfrBaseForm

from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.televersements import AIDE
from ti.ingenierie.models import (
    CYCLE_LIVRABLE,
    PHASES_PAR_DEFAUT,
    Budget,
    Demande,
    Mission,
    Offre,
    Phase,
    StatutDemande,
    StatutMission,
    Theme,
)
from ti.projets.models import Projet
from ti.referentiel.models import Region


class RechercheOffresForm(DsfrBaseForm):
    q = forms.CharField(label="Mots-clés", required=False, max_length=100)
    theme = forms.ChoiceField(label="Thème", required=False, choices=[("", "Tous les thèmes"), *Theme.choices])
    organisme = forms.CharField(label="Organisme", required=False, max_length=100)

    def filtrer(self, offres):
        donnees = self.cleaned_data
        if donnees["q"]:
            offres = offres.recherche(donnees["q"])
        if donnees["theme"]:
            offres = offres.filter(theme=donnees["theme"])
        if donnees["organisme"]:
            offres = offres.filter(organisme__iexact=donnees["organisme"])
        return offres


class DemandeForm(DsfrBaseForm, forms.ModelForm):
    """The fiches-action offered are those of the territory; the action checks it again."""

    class Meta:
        model = Demande
        fields = ["offre", "projets", "besoin", "livrables_attendus", "calendrier"]
        widgets = {"projets": forms.CheckboxSelectMultiple}
        help_texts = {
            "besoin": "Ce que le territoire attend de l’accompagnement, en quelques lignes.",
            "livrables_attendus": "Diagnostic, étude d’impact, plan de financement, feuille de route…",
            "calendrier": "Par exemple : de mars à juin 2026.",
        }

    def __init__(self, *args, territoire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offre"].queryset = Offre.objects.filter(active=True)
        self.fields["offre"].required = False
        self.fields["projets"].queryset = territoire.projets.order_by("titre")


class EtapeDemandeForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Étape", choices=StatutDemande.choices)
    motif = forms.CharField(label="Motif ou commentaire", required=False, max_length=1000, widget=forms.Textarea)
    offre = forms.ModelChoiceField(
        label="Autre offre proposée (réorientation)", required=False, queryset=Offre.objects.filter(active=True)
    )


class StatutMissionForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Nouveau statut", choices=StatutMission.choices)
    motif = forms.CharField(label="Motif", required=False, max_length=500)


class JoursForm(DsfrBaseForm):
    jours_consommes = forms.DecimalField(label="Jours consommés", min_value=0, max_digits=6, decimal_places=1)


class MissionForm(DsfrBaseForm, forms.ModelForm):
    """The order of an accepted request; the consultants offered are the accounts habilitated as such."""

    phases = forms.CharField(
        label="Phases de la mission",
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="\n".join(PHASES_PAR_DEFAUT),
        max_length=1000,
        required=False,
        help_text="Une phase par ligne, dans l’ordre (vide : les quatre phases habituelles) ; leurs échéances se "
        "fixent ensuite sur la page de la mission.",
    )

    class Meta:
        model = Mission
        fields = [
            "type", "intitule", "annee", "cabinet", "consultants", "numero_commande", "date_commande",
            "montant_ht", "montant_ttc", "jours_prevus",
        ]  # fmt: skip
        widgets = {
            "consultants": forms.CheckboxSelectMultiple,
            "date_commande": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consultants = Habilitation.objects.actives().filter(role=Role.CONSULTANT).values("utilisateur_id")
        self.fields["consultants"].queryset = Utilisateur.objects.filter(pk__in=consultants, is_active=True)
        self.fields["numero_commande"].required = True

    def clean_phases(self) -> list[str]:
        noms = [ligne.strip() for ligne in self.cleaned_data["phases"].splitlines() if ligne.strip()]
        if not noms:
            return list(PHASES_PAR_DEFAUT)
        if any(len(nom) > 100 for nom in noms):
            raise forms.ValidationError("Un nom de phase tient en 100 caractères.")
        return noms


class LivrableForm(DsfrBaseForm):
    phase = forms.ModelChoiceField(label="Phase", queryset=Phase.objects.none(), empty_label="Choisissez la phase")
    titre = forms.CharField(label="Titre du livrable", max_length=200, help_text="Diagnostic, étude d’impact…")
    fichier = forms.FileField(label="Fichier", help_text=AIDE)

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = mission.phases.all()


class PhaseForm(DsfrBaseForm):
    """One row of the mission's phases; an empty row is ignored, a ticked one removed."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    nom = forms.CharField(label="Nom de la phase", max_length=100, required=False)
    echeance = forms.DateField(
        label="Échéance du livrable", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    retirer = forms.BooleanField(label="Retirer cette phase", required=False)


PhasesFormSet = forms.formset_factory(PhaseForm, extra=1, max_num=20, absolute_max=20)


def phases_soumises(formset) -> list[dict]:
    """The rows kept, in their order: what `actions_phases.definir_phases` takes."""
    return [
        {"id": ligne["id"], "nom": ligne["nom"], "echeance": ligne["echeance"]}
        for ligne in formset.cleaned_data
        if ligne and not ligne["retirer"] and (ligne["id"] is not None or ligne["nom"].strip())
    ]


class ExamenLivrableForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Décision", choices=[(s.value, s.label) for s in CYCLE_LIVRABLE.etats][1:])
    commentaire = forms.CharField(label="Commentaire", required=False, max_length=2000, widget=forms.Textarea)


class EvaluationForm(DsfrBaseForm):
    satisfaction = forms.TypedChoiceField(
        label="Satisfaction", coerce=int, choices=[(n, f"{n} sur 5") for n in range(5, 0, -1)]
    )
    evaluation = forms.CharField(
        label="Ce que la mission a apporté au territoire", max_length=4000, widget=forms.Textarea
    )


class FichesMissionForm(DsfrBaseForm):
    """The fiches offered are the active ones of the mission's territory; the action checks it again."""

    projets = forms.ModelMultipleChoiceField(
        label="Fiches-action issues ou avancées par la mission",
        queryset=Projet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez les fiches que la mission a fait naître ou avancer ; décochez pour retirer.",
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projets"].queryset = (
            Projet.objects.actifs().filter(territoire=mission.territoire_id).order_by("titre")
        )


class BudgetForm(DsfrBaseForm):
    annee = forms.IntegerField(label="Année", min_value=2018, max_value=2100)
    montant_ht = forms.DecimalField(label="Budget national HT (€)", min_value=0, max_digits=12, decimal_places=2)


class PartRegionaleForm(DsfrBaseForm):
    budget = forms.ModelChoiceField(label="Budget de l’année", queryset=Budget.objects.all(), empty_label=None)
    region = forms.ModelChoiceField(label="Région", queryset=Region.objects.order_by("nom"), empty_label=None)
    montant_ht = forms.DecimalField(label="Part de la région HT (€)", min_value=0, max_digits=12, decimal_places=2)
