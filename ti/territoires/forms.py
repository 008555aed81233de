"""Forms of the territory pages: the list's filters, the commune search, the profile and governance edit."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from dsfr.forms import DsfrBaseForm

from ti.core.cache import en_cache
from ti.core.formulaires import FormSetDeLignes, champ_motif
from ti.referentiel.models import Departement, Region
from ti.territoires.actions import CHAMPS_MODIFIABLES, CHAMPS_PARTENAIRE
from ti.territoires.models import FinancementPoste, Partenaire, Phase, StatutChefProjet, Territoire

_TELEPHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{5,24}$")


def valider_telephone(valeur: str) -> None:
    if valeur and not _TELEPHONE.match(valeur):
        raise ValidationError("Saisissez un numéro de téléphone, par exemple 02 38 00 00 00 ou +33 2 38 00 00 00.")


def _attributs(attrs: dict) -> SafeString:
    """Attributes as `django/forms/widgets/attrs.html` writes them: `True` alone, `False` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", nom) if valeur is True else format_html(' {}="{}"', nom, str(valeur)),)
            for nom, valeur in attrs.items()
            if valeur is not False
        ),
    )


def _option(option: dict) -> str:
    """An <option>, escaped; an f-string rather than format_html(), several times cheaper for a hundred of them."""
    attributs = _attributs(option["attrs"]) if option["attrs"] else ""
    valeur, libelle = escape(str(option["value"])), conditional_escape(option["label"])
    return f'\n  <option value="{valeur}"{attributs}>{libelle}</option>\n'


class ListeDeroulante(forms.Select):
    """A <select> written in Python, to the character as Django’s templates write it (and its renderer strips).

    The templates include one sub-template per option: the hundred départements of the list's filters cost more
    than the rest of the page.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        morceaux = []
        for groupe, options, _index in widget["optgroups"]:
            if groupe:
                morceaux.append(format_html('\n  <optgroup label="{}">', groupe))
            morceaux += [_option(option) for option in options]
            if groupe:
                morceaux.append("\n  </optgroup>")
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributs(widget["attrs"]),
            mark_safe("".join(morceaux)),
        )


def _choix_des_filtres() -> tuple[list, list]:
    regions = list(Region.objects.values_list("code", "nom"))
    departements = [
        (code, f"{code} — {nom}") for code, nom in Departement.objects.order_by("code").values_list("code", "nom")
    ]
    return regions, departements


class FiltresForm(DsfrBaseForm):
    """The list's filters, read from the query string. A value that names nothing known is an error, not ignored."""

    q = forms.CharField(
        label="Territoire ou commune",
        help_text="Nom d’un territoire ou d’une de ses communes, sans souci des accents.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    phase = forms.TypedChoiceField(
        label="Phase",
        choices=[("", "Toutes les phases"), *Phase.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=ListeDeroulante,
        error_messages={"invalid_choice": "Cette phase n’existe pas : choisissez Temps I ou Temps II."},
    )
    region = forms.ChoiceField(
        label="Région",
        required=False,
        widget=ListeDeroulante,
        error_messages={"invalid_choice": "Cette région est inconnue : choisissez-la dans la liste."},
    )
    departement = forms.ChoiceField(
        label="Département",
        required=False,
        widget=ListeDeroulante,
        error_messages={"invalid_choice": "Ce département est inconnu : choisissez-le dans la liste."},
    )
    statut = forms.ChoiceField(
        label="Chef de projet",
        choices=[("", "Tous les statuts"), *StatutChefProjet.choices],
        required=False,
        widget=ListeDeroulante,
        error_messages={"invalid_choice": "Ce statut de chef de projet n’existe pas : choisissez-le dans la liste."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The référentiel's choices, cached until a région or a département changes (two queries otherwise);
        # validation then needs no further query.
        regions, departements = en_cache("territoires:choix-des-filtres", _choix_des_filtres)
        self.fields["region"].choices = [("", "Toutes les régions"), *regions]
        self.fields["departement"].choices = [("", "Tous les départements"), *departements]

    def filtres(self) -> dict:
        """The keyword arguments of `selectors.territoires_filtres` (call after `is_valid()`)."""
        donnees = self.cleaned_data
        return {
            "q": donnees.get("q") or "",
            "phase": donnees.get("phase"),
            "region": donnees.get("region") or None,
            "departement": donnees.get("departement") or None,
            "statut": donnees.get("statut") or None,
        }


class RechercheCommuneForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom, code postal ou code INSEE de la commune",
        help_text="Par exemple : Châteauroux, 36000 ou 36044.",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le nom, le code postal ou le code INSEE d’une commune."},
    )

    def clean_q(self):
        texte = " ".join(self.cleaned_data["q"].split())
        if len(texte) < 2:
            raise ValidationError("Saisissez au moins deux caractères.")
        return texte


class TerritoireForm(DsfrBaseForm, forms.ModelForm):
    """The profile and the governance of a territory, as the chef de projet and the national team keep them."""

    motif = champ_motif("Facultatif ; il figurera dans l’historique du territoire.")

    class Meta:
        model = Territoire
        fields = CHAMPS_MODIFIABLES
        labels = {"description": "Présentation du territoire"}
        help_texts = {
            "description": "Quelques phrases sur le tissu industriel, les enjeux et les priorités du territoire.",
            "binome_elu_mandat": "Par exemple : président de la communauté de communes du Giennois.",
            "chef_projet_telephone": "Par exemple : 02 38 00 00 00.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "chef_projet_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "chef_projet_telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def clean_chef_projet_telephone(self):
        telephone = self.cleaned_data["chef_projet_telephone"].strip()
        valider_telephone(telephone)
        return telephone

    def clean(self):
        donnees = super().clean()
        if donnees.get("chef_projet_statut") == StatutChefProjet.EN_POSTE and not donnees.get("chef_projet_nom"):
            self.add_error("chef_projet_nom", "Indiquez le nom du chef de projet en poste.")
        return donnees

    def donnees(self) -> dict:
        return {champ: self.cleaned_data[champ] for champ in CHAMPS_MODIFIABLES}


class PartenaireForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Partenaire
        fields = CHAMPS_PARTENAIRE
        labels = {"organisme": "Organisme"}
        widgets = {"telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisme"].choices = [("", "Choisir un organisme"), *Partenaire.Organisme.choices]

    def clean_telephone(self):
        telephone = self.cleaned_data["telephone"].strip()
        valider_telephone(telephone)
        return telephone


class BasePartenaireFormSet(FormSetDeLignes):
    ligne_etrangere = "Ce contact ne fait pas partie de ce territoire : rechargez la page."
    lignes_etrangeres = "Un des contacts ne fait pas partie de ce territoire : rechargez la page."

    def donnees(self) -> list[dict]:
        """The contacts added or changed, for `actions.modifier_territoire` (call after `is_valid()`)."""
        return [
            {"id": form.instance.pk, **{champ: form.cleaned_data[champ] for champ in CHAMPS_PARTENAIRE}}
            for form in self.forms
            if form.has_changed()
        ]


# Contacts are added and corrected here; none is deleted, as a record a user created is never hard-deleted.
PartenaireFormSet = forms.inlineformset_factory(
    Territoire,
    Partenaire,
    form=PartenaireForm,
    formset=BasePartenaireFormSet,
    fields=CHAMPS_PARTENAIRE,
    extra=1,
    can_delete=False,
    max_num=100,
    validate_max=True,
)


class FinancementPosteForm(DsfrBaseForm, forms.ModelForm):
    """A financeur's share of the chef de projet's post."""

    motif = champ_motif("Facultatif ; il figurera dans l’historique du territoire.", libelle="Motif")

    class Meta:
        model = FinancementPoste
        fields = ["financeur", "montant", "debut", "fin"]
        localized_fields = ["montant"]  # « 40000,50 »
        help_texts = {
            "financeur": "Par exemple : Banque des Territoires, Conseil régional, communauté de communes.",
            "montant": "En euros, par exemple 40000 ou 40000,50.",
            "fin": "Facultatif : laissez vide si la fin n’est pas connue.",
        }
        widgets = {"debut": forms.DateInput(attrs={"type": "date"}), "fin": forms.DateInput(attrs={"type": "date"})}

    def clean_montant(self):
        montant = self.cleaned_data["montant"]
        if montant is not None and montant <= 0:
            raise forms.ValidationError("Le montant doit être supérieur à zéro.")
        return montant

    def clean(self):
        donnees = super().clean()
        if donnees.get("debut") and donnees.get("fin") and donnees["fin"] < donnees["debut"]:
            self.add_error("fin", "La fin du financement ne peut pas précéder son début.")
        return donnees
