"""The catalogue's search form (read from the query string: a search is a shareable link), the investor's request
form (with its honeypot), and the forms of the teams: status of a site or of a request, import of CNIG files."""

from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from ti.foncier.actions import CHAMPS_MODIFIABLES
from ti.foncier.models import Demande, Site, StatutDemande, StatutSite, Vague
from ti.foncier.selectors import Criteres
from ti.foncier.televersement import AIDE_PIECE
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

HECTARES = {"required": False, "min_value": 0, "max_value": 100_000, "decimal_places": 2}


class RechercheSitesForm(DsfrBaseForm):
    surface_min = forms.DecimalField(label="Surface utile minimale (ha)", **HECTARES)
    surface_max = forms.DecimalField(label="Surface utile maximale (ha)", **HECTARES)
    region = forms.ChoiceField(label="Région", required=False)
    territoire = forms.ChoiceField(label="Territoire d’industrie", required=False)
    disponible_sous_mois = forms.IntegerField(
        label="Disponible d’ici (mois)",
        help_text="0 : disponible immédiatement.",
        required=False,
        min_value=0,
        max_value=120,
    )
    puissance_min = forms.DecimalField(
        label="Puissance électrique minimale (MW)", required=False, min_value=0, max_value=10_000
    )
    vague = forms.ChoiceField(label="Label", choices=[("", "Tous les labels"), *Vague.choices], required=False)
    rail = forms.BooleanField(label="Embranchement ferroviaire", required=False)
    port = forms.BooleanField(label="Accès portuaire ou fluvial", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Toutes les régions"), *Region.objects.values_list("code", "nom")]
        territoires = (
            Territoire.objects.filter(perimetre__commune__sites_eco__isnull=False).distinct().order_by("phase", "nom")
        )
        self.fields["territoire"].choices = [
            ("", "Tous les territoires"),
            *((t.identifiant, f"{t.nom} ({t.get_phase_display().split(' (')[0]})") for t in territoires),
        ]

    def clean(self):
        donnees = super().clean()
        minimum, maximum = donnees.get("surface_min"), donnees.get("surface_max")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValidationError("La surface minimale dépasse la surface maximale.")
        return donnees

    def criteres(self) -> Criteres:
        d = self.cleaned_data
        return Criteres(
            surface_min=d["surface_min"],
            surface_max=d["surface_max"],
            region=d["region"] or None,
            territoire=d["territoire"] or None,
            disponible_sous_mois=d["disponible_sous_mois"],
            rail=d["rail"],
            port=d["port"],
            puissance_min=d["puissance_min"],
            vague=d["vague"] or None,
        )


class DemandeForm(DsfrBaseForm, forms.ModelForm):
    # A field people never see (hidden by CSS and from assistive technologies); robots fill it.
    site_web = forms.CharField(label="Ne remplissez pas ce champ", required=False)

    class Meta:
        model = Demande
        fields = ["nom", "organisation", "email", "telephone", "projet", "surface_ha", "emplois", "calendrier"]
        widgets = {"projet": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "projet": "Activité, besoins (bâtiments, énergie, eau, accès), investissement envisagé.",
            "calendrier": "Par exemple : décision fin 2026, mise en service en 2028.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_web"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def est_un_robot(self) -> bool:
        return bool(self.cleaned_data.get("site_web"))

    def champs_demande(self) -> dict:
        return {nom: self.cleaned_data[nom] for nom in self.Meta.fields}


class StatutSiteForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Nouveau statut", choices=StatutSite.choices)
    motif = forms.CharField(label="Motif", required=False, max_length=500)


class StatutDemandeForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Nouveau statut", choices=StatutDemande.choices)
    motif = forms.CharField(label="Note (pour l’équipe)", required=False, max_length=500)


class ImportForm(DsfrBaseForm):
    sites = forms.FileField(label="Fichier site-eco (CSV du standard CNIG)", required=False)
    terrains = forms.FileField(label="Fichier terrain-eco (CSV du standard CNIG)", required=False)

    def clean(self):
        donnees = super().clean()
        if not donnees.get("sites") and not donnees.get("terrains"):
            raise ValidationError("Choisissez au moins un fichier.")
        return donnees


class PieceForm(DsfrBaseForm):
    fichier = forms.FileField(label="Photo ou document", help_text=AIDE_PIECE)
    legende = forms.CharField(
        label="Légende",
        max_length=255,
        help_text="Ce que montre la photo ou ce que contient le document ; lue par les lecteurs d’écran.",
    )


class SiteForm(DsfrBaseForm, forms.ModelForm):
    motif = forms.CharField(label="Motif de la modification", required=False, max_length=500)

    class Meta:
        model = Site
        fields = list(CHAMPS_MODIFIABLES)
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "disponible_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        donnees = super().clean()
        if not donnees.get("disponible_immediatement") and not donnees.get("disponible_le"):
            self.add_error("disponible_le", "Donnez la date de disponibilité, ou cochez « disponible immédiatement ».")
        return donnees

    def donnees(self) -> dict:
        return {champ: self.cleaned_data[champ] for champ in CHAMPS_MODIFIABLES}
