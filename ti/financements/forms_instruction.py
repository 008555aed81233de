"""Forms of the instruction steps. They check input only; the actions check rights and rules."""

from django import forms
from django.utils import timezone

from ti.core.televersements import AIDE as AIDE_DOCUMENT
from ti.core.televersements import verifier_document
from ti.financements.models import Avis, Statut, Versement

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type="date"> reads
MONTANT = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def classes_dsfr(form: forms.Form) -> None:
    """DSFR classes on the widgets, so that the fields look and focus like the rest of the site."""
    for champ in form.fields.values():
        widget = champ.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.ClearableFileInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "fr-select")
        elif isinstance(widget, forms.RadioSelect | forms.HiddenInput):
            continue
        else:
            widget.attrs.setdefault("class", "fr-input")


class EtapeForm(forms.Form):
    """Every step carries the dossier version the user saw: a stale form is refused by the action."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        classes_dsfr(self)
        if dossier is not None and not self.is_bound:
            self.initial.setdefault("version", dossier.version)


class MotifForm(EtapeForm):
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


CONFIRMATION = "Je confirme : le dossier ne sera plus instruit et le porteur en sera averti."


class MotifDestructifForm(MotifForm):
    """A step that ends the dossier (irrecevable, classement sans suite): confirmed by a required box. With
    JavaScript the box is ticked by the confirmation dialog; without it, the person ticks it."""

    confirmation = forms.BooleanField(
        label=CONFIRMATION, error_messages={"required": "Cochez la case pour confirmer cette décision."}
    )


class MotifFacultatifForm(EtapeForm):
    motif = forms.CharField(label="Commentaire (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DemandeAvisForm(EtapeForm):
    types = forms.MultipleChoiceField(
        label="Avis demandés",
        choices=Avis.Type.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un avis à demander."},
    )
    echeance = forms.DateField(label="À rendre avant le", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("echeance", timezone.localdate() + timezone.timedelta(days=15))


class PropositionForm(EtapeForm):
    montant_propose = forms.DecimalField(label="Montant proposé (€)", **MONTANT)
    motif = forms.CharField(label="Commentaire (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None and not self.is_bound:
            self.initial.setdefault("montant_propose", self.dossier.aide_demandee)


class DecisionForm(EtapeForm):
    statut = forms.ChoiceField(
        label="Décision",
        choices=[(s.value, s.label) for s in (Statut.ACCEPTE, Statut.REFUSE, Statut.CLASSE_SANS_SUITE)],
    )
    montant = forms.DecimalField(label="Montant accordé (€, si accepté)", required=False, **MONTANT)
    motif = forms.CharField(
        label="Motifs (obligatoires pour un refus)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirmation = forms.BooleanField(
        label="Refus ou classement sans suite : je confirme, le dossier ne sera plus instruit et le porteur en sera "
        "averti.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None and not self.is_bound:
            self.initial.setdefault("montant", self.dossier.montant_propose)

    def clean(self):
        donnees = super().clean()
        if donnees.get("statut") not in (None, Statut.ACCEPTE) and not donnees.get("confirmation"):
            self.add_error("confirmation", "Un refus ou un classement sans suite se confirme : cochez la case.")
        return donnees


class EngagementForm(EtapeForm):
    convention_numero = forms.CharField(label="Numéro de la convention", max_length=50)
    convention_date = forms.DateField(label="Date de signature", widget=DATE)
    montant = forms.DecimalField(label="Montant engagé (€)", **MONTANT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None and not self.is_bound:
            self.initial.setdefault("montant", self.dossier.montant_accorde)


class VersementForm(EtapeForm):
    type = forms.ChoiceField(label="Type de versement", choices=Versement.Type.choices)
    montant = forms.DecimalField(label="Montant (€)", **MONTANT)
    date = forms.DateField(label="Date de paiement", widget=DATE)
    commentaire = forms.CharField(label="Commentaire (facultatif)", required=False)


class DsfrForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes_dsfr(self)


class AvisForm(DsfrForm):
    sens = forms.ChoiceField(label="Sens de l’avis", choices=Avis.Sens.choices, widget=forms.RadioSelect)
    texte = forms.CharField(label="Avis motivé", widget=forms.Textarea(attrs={"rows": 4}))
    montant_recommande = forms.DecimalField(label="Montant recommandé (€, facultatif)", required=False, **MONTANT)
    fichier = forms.FileField(
        label="Pièce jointe (facultative)",
        required=False,
        help_text=AIDE_DOCUMENT,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data.get("fichier")
        self.type_mime = verifier_document(fichier) if fichier else ""
        return fichier


class AnnotationForm(DsfrForm):
    ancre = "annotation"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_annotation_%s")  # the message form's field is also « texte »
        super().__init__(*args, **kwargs)

    texte = forms.CharField(
        label="Annotation privée",
        help_text="Lue par les instructeurs du dossier seulement, jamais par le porteur.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessageForm(DsfrForm):
    ancre = "message"

    texte = forms.CharField(label="Votre message", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
