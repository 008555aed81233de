"""Forms of the resource centre: the search (a plain GET), a new resource, a new version."""

import re
from functools import partial

from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from ti.animation.models import Evenement, Theme
from ti.animation.models_ressources import Ressource, TypeRessource, Visibilite
from ti.comptes import permissions
from ti.core.televersements import AIDE
from ti.referentiel.models import Region

LONGUEUR_RECHERCHE = 200
_SEPARATEURS_ETIQUETTES = re.compile(r"[,;]")


def _tous(choix) -> list[tuple[str, str]]:
    return [("", "Tous"), *choix]


class RechercheRessourcesForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher", required=False, max_length=LONGUEUR_RECHERCHE)
    type = forms.ChoiceField(label="Type", required=False, choices=_tous(TypeRessource.choices))
    theme = forms.ChoiceField(label="Thème", required=False, choices=_tous(Theme.choices))
    etiquette = forms.CharField(label="Étiquette", required=False, max_length=50, widget=forms.HiddenInput)

    def criteres(self) -> dict:
        return {nom: self.cleaned_data.get(nom) or "" for nom in ("q", "type", "theme", "etiquette")}


class VersionForm(DsfrBaseForm):
    fichier = forms.FileField(label="Fichier", required=False, help_text=AIDE)
    lien = forms.URLField(
        label="Ou lien du replay",
        required=False,
        assume_scheme="https",
        help_text="Adresse de la vidéo, si elle est hébergée ailleurs (https://…).",
    )
    note = forms.CharField(label="Ce qui change dans cette version", required=False, max_length=300)

    def clean_lien(self):
        lien = self.cleaned_data["lien"]
        if lien and not lien.startswith(("https://", "http://")):
            raise forms.ValidationError("Indiquez une adresse web commençant par https://.")
        return lien

    def clean(self):
        donnees = super().clean()
        if not self.has_error("lien") and bool(donnees.get("fichier")) == bool(donnees.get("lien")):
            raise forms.ValidationError("Déposez un fichier ou indiquez le lien d’un replay, l’un des deux.")
        return donnees


class RessourceForm(VersionForm, forms.ModelForm):
    """A new resource and its first version; a referent's is his région's (the région list holds only his)."""

    etiquettes = forms.CharField(
        label="Étiquettes",
        required=False,
        max_length=300,
        help_text="Séparées par des virgules, par exemple : audit, ADEME.",
    )

    class Meta:
        model = Ressource
        fields = ["titre", "type", "resume", "theme", "visibilite", "region", "evenement"]
        field_classes = {"region": partial(forms.ModelChoiceField, queryset=Region.objects.all())}

    field_order = ["titre", "type", "resume", "theme", "etiquettes", "visibilite", "region", "evenement", "fichier",
                   "lien"]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]
        self.fields["evenement"].required = False
        self.fields["region"].required = False
        if permissions.est_equipe_nationale(user):
            self.fields["evenement"].queryset = Evenement.objects.order_by("-debut")
        else:
            regions = permissions.regions_du_referent(user)
            self.fields["region"].queryset = Region.objects.filter(code__in=regions)
            self.fields["region"].required = True
            self.fields["region"].help_text = "Votre région."
            self.fields["evenement"].queryset = Evenement.objects.filter(
                Q(region__in=regions) | Q(organisateur=user)
            ).order_by("-debut")

    def clean_etiquettes(self) -> list[str]:
        noms = [n.strip().lower() for n in _SEPARATEURS_ETIQUETTES.split(self.cleaned_data["etiquettes"])]
        noms = list(dict.fromkeys(n for n in noms if n))
        if any(len(n) > 50 for n in noms):
            raise forms.ValidationError("Une étiquette tient en 50 caractères au plus.")
        if len(noms) > 10:
            raise forms.ValidationError("Dix étiquettes au plus.")
        return noms

    def clean(self):
        donnees = super().clean()
        if donnees.get("visibilite") == Visibilite.REGION and not donnees.get("region"):
            self.add_error("region", "Choisissez la région dont le réseau verra la ressource.")
        return donnees
