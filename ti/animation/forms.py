from functools import partial

from django import forms
from dsfr.forms import DsfrBaseForm

from ti.animation.models import Evenement, Fil, Reponse
from ti.comptes import permissions
from ti.core.televersements import AIDE
from ti.referentiel.models import Region

FORMAT_DATE_HEURE = "%Y-%m-%dT%H:%M"


AIDE_TEXTE = (
    "Mise en forme Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…). "
    "Mentionnez une personne du réseau avec @ suivi du début de son adresse électronique (@camille.martin) : "
    "elle sera prévenue."
)


def _piece_jointe():
    return forms.FileField(label="Pièce jointe (facultatif)", required=False, help_text=AIDE)


class FilForm(DsfrBaseForm, forms.ModelForm):
    fichier = _piece_jointe()

    class Meta:
        model = Fil
        fields = ["theme", "region", "titre", "texte"]
        labels = {"titre": "Votre question, en une ligne", "texte": "Précisez le contexte"}
        help_texts = {"texte": AIDE_TEXTE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        habilitations = permissions.habilitations(user)
        regions = {h.region_id for h in habilitations if h.region_id}
        regions |= {r.pk for h in habilitations if h.territoire_id for r in h.territoire.regions.all()}
        if len(regions) == 1 and not self.is_bound:
            self.initial["region"] = regions.pop()  # the asker's région, which he may empty for the whole network


class ReponseForm(DsfrBaseForm, forms.ModelForm):
    fichier = _piece_jointe()

    class Meta:
        model = Reponse
        fields = ["texte"]
        labels = {"texte": "Votre réponse"}
        help_texts = {"texte": AIDE_TEXTE}


class MotifForm(DsfrBaseForm):
    """The reason of a report, of a hidden message, of a locked thread."""

    motif = forms.CharField(label="Motif", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def _date_heure():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=FORMAT_DATE_HEURE)


class EvenementForm(DsfrBaseForm, forms.ModelForm):
    """An event planned by the national team, or by a Conseil régional referent for his région."""

    class Meta:
        model = Evenement
        fields = ["titre", "type", "description", "debut", "fin", "lieu", "lien", "public", "region", "capacite",
                  "cloture_inscriptions"]  # fmt: skip
        widgets = {"debut": _date_heure(), "fin": _date_heure(), "cloture_inscriptions": _date_heure()}
        help_texts = {"public": "Sinon, réservé au réseau des Territoires d’industrie."}
        field_classes = {"lien": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacite"].min_value = 1
        self.fields["capacite"].widget.attrs["min"] = 1
        if not permissions.est_equipe_nationale(user):  # a referent plans his région's events only
            regions = permissions.regions_du_referent(user)
            self.fields["region"].queryset = Region.objects.filter(code__in=regions)
            self.fields["region"].required = True
            self.fields["region"].help_text = "Votre région."

    def clean(self):
        donnees = super().clean()
        debut, fin, cloture = donnees.get("debut"), donnees.get("fin"), donnees.get("cloture_inscriptions")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin doit suivre le début de l’événement.")
        if debut and cloture and cloture > debut:
            self.add_error("cloture_inscriptions", "La clôture des inscriptions doit précéder le début de l’événement.")
        if not donnees.get("lieu") and not donnees.get("lien") and not self.has_error("lien"):
            self.add_error("lieu", "Indiquez un lieu ou un lien de connexion.")
        if donnees.get("capacite") == 0:
            self.add_error("capacite", "Un événement compte au moins une place.")
        return donnees
