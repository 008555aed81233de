"""Forms of the projets part.

Fiches-action: the fiche itself (with the commune typed as an INSEE code or a name and checked against the
territory's perimeter), its financing plan as an inline formset, a document upload, a follow-up note, an archiving.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import cached_property
from dsfr.forms import DsfrBaseForm

from ti.core.formulaires import FormSetDeLignes, champ_motif
from ti.core.televersements import AIDE as AIDE_DOCUMENT
from ti.core.televersements import verifier_document
from ti.core.texte import cle_recherche
from ti.core.validateurs import valider_siret
from ti.projets.actions.fiches import CHAMPS, CHAMPS_LIGNE, CHAMPS_M2M, message_hors_perimetre
from ti.projets.models import Competence, Levier, LigneFinancement, Projet, Theme, TypePorteur
from ti.referentiel.selectors import rechercher_communes, resoudre_communes
from ti.territoires.forms import valider_telephone
from ti.territoires.models import CommuneTerritoire, Territoire

_ESPACES_ET_EUROS = re.compile(r"[\s\u00a0\u202f€]")
_CODE_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE | re.ASCII)
# « Dreux (28134) », as the list shows it. ASCII: `\d` alone would take any script's digits.
_NOM_ET_CODE = re.compile(r"\((\d{5}|2[AB]\d{3})\)\s*$", re.IGNORECASE | re.ASCII)


class NombreFrancaisField(forms.DecimalField):
    """A decimal typed the French way: « 250 000 », « 12 500,50 », « 250 000 € » (a point is accepted too).

    A text input, not `type=number`: browsers refuse the decimal comma and the grouping spaces there."""

    widget = forms.TextInput

    def __init__(self, *, exemple: str = "250 000 ou 12 500,50", **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = f"Saisissez un nombre, par exemple {exemple}."
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = _ESPACES_ET_EUROS.sub("", value).replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, self.decimal_places, force_grouping=True)
        return value


class MontantField(NombreFrancaisField):
    """An amount in euros."""


class ProjetForm(DsfrBaseForm, forms.ModelForm):
    """A fiche-action as the chef de projet writes it. Built with its territory, whose perimeter the commune must
    lie in; `version` carries the version the form was built on (the optimistic lock of `modifier_projet`)."""

    commune = forms.CharField(
        label="Commune de réalisation",
        help_text="Son nom ou son code INSEE, par exemple « Dreux » ou « 28134 ». Elle doit faire partie du "
        "périmètre du territoire.",
        required=False,
        max_length=160,
    )
    porteur_siret = forms.CharField(  # 14 digits, typed with or without spaces (« 732 829 320 00074 »)
        label="SIRET du porteur",
        help_text="14 chiffres, par exemple 732 829 320 00074. Facultatif pour un porteur sans SIRET.",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    motif = champ_motif("Il figurera dans l’historique de la fiche.")
    # Declared here rather than taken from the model: a model form reads each many-to-many of its instance, three
    # queries on every save for values the action compares under its lock anyway. The page reads them in one.
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.order_by("ordre", "libelle"), label="Thèmes", required=False, widget=forms.CheckboxSelectMultiple
    )
    competences = forms.ModelMultipleChoiceField(
        Competence.objects.order_by("code"),
        label="Compétences (référentiel M57)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leviers = forms.ModelMultipleChoiceField(
        Levier.objects.order_by("libelle"),
        label="Leviers de la transition écologique (SGPE)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Projet
        fields = CHAMPS
        field_classes = {
            "budget": MontantField,
            "investissement": MontantField,
            "tco2e_evitees": NombreFrancaisField,
            "hectares": NombreFrancaisField,
        }
        labels = {
            "titre": "Titre de la fiche-action",
            "objectifs": "Objectifs",
            "porteur_nom": "Nom du porteur",
            "axe": "Axe du programme",
            "phase": "Phase",
            "phase_statut": "Statut de la phase",
            "budget": "Budget total (€)",
            "investissement": "Investissement attendu (€)",
            "tco2e_evitees": "Émissions évitées (tonnes équivalent CO2 par an)",
            "hectares": "Foncier recyclé ou économisé (hectares)",
            "partenaires": "Partenaires",
            "public": "Publier la fiche dans l’annuaire public des projets",
        }
        help_texts = {
            "referent_telephone": "Par exemple : 02 37 00 00 00.",
            "budget": "En euros, par exemple 250 000 ou 12 500,50.",
            "date_fin": "Au plus tôt la date de début.",
            "partenaires": "Un partenaire par ligne.",
            "public": "Sans publication, la fiche n’est visible que de l’équipe du territoire, des services de la "
            "région et de l’équipe nationale.",
        }
        error_messages = {
            "titre": {"required": "Donnez un titre à la fiche-action."},
            "axe": {"required": "Choisissez l’axe du programme auquel la fiche se rattache."},
            "emplois_crees": {"min_value": "Le nombre d’emplois créés ne peut pas être négatif."},
            "emplois_maintenus": {"min_value": "Le nombre d’emplois maintenus ne peut pas être négatif."},
            "referent_email": {"invalid": "Saisissez une adresse électronique, par exemple nom@exemple.fr."},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "objectifs": forms.Textarea(attrs={"rows": 3}),
            "partenaires": forms.Textarea(attrs={"rows": 3}),
            "referent_telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "referent_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "date_debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    NON_NEGATIFS = {
        "budget": "Le budget ne peut pas être négatif.",
        "investissement": "L’investissement ne peut pas être négatif.",
        "tco2e_evitees": "Les émissions évitées ne peuvent pas être négatives.",
        "hectares": "La surface ne peut pas être négative.",
    }

    def __init__(self, *args, territoire: Territoire, **kwargs):
        super().__init__(*args, **kwargs)
        self.territoire = territoire
        self.fields["porteur_type"].choices = [("", "Choisir un type de porteur"), *TypePorteur.choices]
        self.fields["axe"].choices = [("", "Choisir un axe"), *Projet._meta.get_field("axe").choices]
        self.fields["commune"].widget.attrs.update({"list": "communes-du-territoire", "autocomplete": "off"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.commune_id:
                self.initial["commune"] = str(self.instance.commune)
            if not self.is_bound:
                self.initial.update(self.instance.liens())
        else:
            del self.fields["motif"]  # a creation has no motive to give

    @cached_property
    def communes_du_perimetre(self) -> dict:
        """{code: name} of the territory's communes, read once: the suggestion list and the check use it."""
        return dict(
            CommuneTerritoire.objects.filter(territoire=self.territoire)
            .order_by("commune__nom_recherche", "commune__code")
            .values_list("commune_id", "commune__nom")
        )

    def clean_porteur_siret(self):
        siret = self.cleaned_data["porteur_siret"].strip()
        return valider_siret(siret) if siret else ""

    def clean_referent_telephone(self):
        telephone = self.cleaned_data["referent_telephone"].strip()
        valider_telephone(telephone)
        return telephone

    def clean_commune(self):
        """A commune of the référentiel, by INSEE code (a commune déléguée leads to its chef-lieu) or by its exact
        name, that lies in the territory's perimeter; otherwise the error says why not."""
        texte = " ".join(self.cleaned_data["commune"].split())
        if not texte:
            return None
        if _CODE_INSEE.match(texte) or _NOM_ET_CODE.search(texte):
            code = (texte if _CODE_INSEE.match(texte) else _NOM_ET_CODE.search(texte).group(1)).upper()
            if code == self.instance.commune_id:
                commune = self.instance.commune  # unchanged: read with the fiche
            else:
                commune = resoudre_communes([code])[code].commune
            if commune is None:
                raise ValidationError(f"Aucune commune ne porte le code INSEE {code} dans le référentiel géographique.")
        else:
            commune = self._commune_par_son_nom(texte)
        # One row read: the whole perimeter is only wanted for the page's suggestion list.
        if not CommuneTerritoire.objects.filter(territoire=self.territoire, commune=commune).exists():
            raise ValidationError(message_hors_perimetre(commune, self.territoire))
        return commune

    def _commune_par_son_nom(self, texte: str):
        trouvees = rechercher_communes(texte, limite=20)  # exact names come first
        cle = cle_recherche(texte)
        homonymes = [commune for commune in trouvees if commune.nom_recherche == cle]
        if not homonymes:
            if trouvees:
                proches = ", ".join(str(commune) for commune in trouvees[:5])
                raise ValidationError(
                    f"Aucune commune ne s’appelle « {texte} ». Communes approchantes : {proches}. Saisissez le nom "
                    f"exact ou le code INSEE."
                )
            raise ValidationError(
                f"Aucune commune ne s’appelle « {texte} » dans le référentiel géographique : vérifiez l’orthographe "
                f"ou saisissez le code INSEE."
            )
        dans_le_perimetre = [commune for commune in homonymes if commune.code in self.communes_du_perimetre]
        if len(dans_le_perimetre) == 1:
            return dans_le_perimetre[0]
        if len(dans_le_perimetre) > 1:
            codes = ", ".join(commune.code for commune in dans_le_perimetre)
            raise ValidationError(
                f"Plusieurs communes du territoire s’appellent « {texte} » : saisissez le code INSEE ({codes})."
            )
        if len(homonymes) == 1:
            return homonymes[0]  # known, but outside the perimeter: `clean_commune` says so
        liste = ", ".join(str(commune) for commune in homonymes)
        raise ValidationError(
            f"Aucune des communes nommées « {texte} » ({liste}) n’est dans le périmètre du territoire "
            f"{self.territoire.nom} : choisissez une commune du territoire."
        )

    def _get_validation_exclusions(self):
        # `clean_commune` read the commune from the référentiel: the model's check that it exists would read it again.
        return super()._get_validation_exclusions() | {"commune"}

    def clean(self):
        donnees = super().clean()
        for champ, message in self.NON_NEGATIFS.items():
            if donnees.get(champ) is not None and donnees[champ] < 0:
                self.add_error(champ, message)
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La date de fin ne peut pas précéder la date de début.")
        return donnees

    def donnees(self) -> dict:
        """The keyword `donnees` of `creer_projet` and `modifier_projet` (call after `is_valid()`)."""
        return {champ: self.cleaned_data[champ] for champ in (*CHAMPS, *CHAMPS_M2M)}


class LigneFinancementForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = LigneFinancement
        fields = CHAMPS_LIGNE
        field_classes = {"montant": MontantField}
        labels = {"financeur": "Financeur", "dispositif": "Dispositif", "montant": "Montant (€)"}
        help_texts = {"dispositif": "Par exemple : Fonds vert, appel à projets régional."}
        error_messages = {"financeur": {"required": "Indiquez le financeur de cette ligne."}}

    def clean_montant(self):
        montant = self.cleaned_data["montant"]
        if montant is not None and montant < 0:
            raise ValidationError("Le montant ne peut pas être négatif.")
        return montant


class BaseFinancementFormSet(FormSetDeLignes):
    ligne_etrangere = "Cette ligne ne fait pas partie du plan de financement de la fiche : rechargez la page."
    lignes_etrangeres = "Une des lignes ne fait pas partie de cette fiche : rechargez la page."

    def donnees(self) -> list[dict]:
        """The lines added, changed or removed, for the `financements` of the actions (call after `is_valid()`)."""
        lignes = []
        for form in self.forms:
            pk = form.instance.pk
            if self.can_delete and self._should_delete_form(form):
                if pk is not None:
                    lignes.append({"id": pk, "supprimer": True})
            elif form.has_changed():
                lignes.append({"id": pk, **{champ: form.cleaned_data[champ] for champ in CHAMPS_LIGNE}})
        return lignes

    def lignes_saisies(self) -> list[tuple[Decimal | None, str]]:
        """(montant, statut) of the lines as the page shows them: typed in when the form was sent, else saved."""
        lignes = []
        for form in self.forms:
            if not self.is_bound:
                if form.instance.pk is not None:
                    lignes.append((form.instance.montant, form.instance.statut))
                continue
            donnees = getattr(form, "cleaned_data", {})
            if not donnees or donnees.get("DELETE"):
                continue
            lignes.append((donnees.get("montant"), donnees.get("statut")))
        return lignes


# Lines are added, corrected and removed with the fiche; a removed line stays in the fiche's journal.
FinancementFormSet = forms.inlineformset_factory(
    Projet,
    LigneFinancement,
    form=LigneFinancementForm,
    formset=BaseFinancementFormSet,
    fields=CHAMPS_LIGNE,
    extra=2,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


class DocumentForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Ajouter un document",
        help_text=AIDE_DOCUMENT,
        error_messages={
            "required": "Choisissez le fichier à déposer.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n’a pas été reçu : déposez-le de nouveau.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        verifier_document(fichier)
        return fichier


class NoteForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Nouvelle note de suivi",
        help_text="Visible de l’équipe du territoire, des services de la région et de l’équipe nationale, jamais du "
        "public.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Écrivez la note avant de l’enregistrer."},
    )


class ArchivageForm(DsfrBaseForm):
    motif = forms.CharField(
        label="Motif de l’archivage",
        help_text="Par exemple : projet abandonné par le porteur, doublon d’une autre fiche. Il figurera dans "
        "l’historique.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez pourquoi la fiche est archivée."},
    )
