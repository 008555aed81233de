"""Forms of the porteur's side: eligibility, the dossier (drafts with an optimistic lock), its financing plan,
its documents."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from ti.comptes import permissions
from ti.core.formulaires import FormSetDeLignes
from ti.core.televersements import AIDE as AIDE_DOCUMENT
from ti.core.televersements import verifier_document
from ti.core.validateurs import valider_siret
from ti.financements import eligibilite
from ti.financements.actions.depot import CHAMPS
from ti.financements.models import Dossier, LigneFinancementDossier, PieceJointe, Volet
from ti.projets.forms import MontantField, NombreFrancaisField
from ti.projets.models import Projet
from ti.referentiel.selectors import rechercher_communes, resoudre_communes
from ti.territoires.models import Phase, Territoire

_CODE_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE | re.ASCII)
_NOM_ET_CODE = re.compile(r"\((\d{5}|2[AB]\d{3})\)\s*$", re.IGNORECASE | re.ASCII)


def resoudre_commune(texte: str):
    """« 45208 », « Montargis » or « Montargis (45208) » → the commune; a French error when unknown or ambiguous."""
    texte = (texte or "").strip()
    code = _NOM_ET_CODE.search(texte)
    code = code.group(1) if code else (texte if _CODE_INSEE.match(texte) else None)
    if code:
        commune = resoudre_communes([code.upper()])[code.upper()].commune
        if commune is None:
            raise ValidationError(f"Aucune commune ne porte le code INSEE {code}.")
        return commune
    trouvees = rechercher_communes(texte, limite=10)
    exactes = [c for c in trouvees if c.nom.lower() == texte.lower()]
    if len(exactes) == 1 or (len(trouvees) == 1 and not exactes):
        return (exactes or trouvees)[0]
    if not trouvees:
        raise ValidationError(
            f"Aucune commune ne s’appelle « {texte} » : vérifiez l’orthographe ou saisissez son code INSEE."
        )
    exemples = ", ".join(f"{c.nom} ({c.code})" for c in (exactes or trouvees)[:5])
    raise ValidationError(f"Plusieurs communes répondent à « {texte} » : précisez son code INSEE ({exemples}).")


class EligibiliteForm(DsfrBaseForm):
    intitule = forms.CharField(label="Intitulé du projet", max_length=255)
    siret = forms.CharField(
        label="SIRET de la structure porteuse",
        help_text="14 chiffres, par exemple 732 829 320 00074 : celui d’une structure de votre compte.",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    porteur_nom = forms.CharField(label="Nom de la structure porteuse", max_length=255)
    porteur_type = forms.ChoiceField(label="Type de porteur", choices=eligibilite.TYPES_DE_PORTEUR)
    volet = forms.ChoiceField(label="Volet du dispositif")
    commune = forms.CharField(
        label="Commune où le projet se réalise",
        help_text="Son nom ou son code INSEE, par exemple « Montargis » ou « 45208 ».",
        max_length=160,
    )
    territoire = forms.ModelChoiceField(
        label="Territoire d’industrie du projet",
        queryset=Territoire.objects.filter(phase=Phase.TEMPS_2),
        required=False,
        widget=forms.HiddenInput,
        help_text="La commune fait partie de plusieurs territoires : choisissez celui du projet.",
    )
    investissement_non_demarre = forms.BooleanField(
        label="J’atteste que l’investissement n’a pas commencé (aucun devis signé, aucune commande passée)",
        error_messages={
            "required": "Le Fonds vert ne finance pas un investissement déjà commencé : "
            "cochez l’attestation si aucun devis n’est signé ni aucune commande passée."
        },
    )

    def __init__(self, *args, dispositif, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispositif = dispositif
        self.utilisateur = utilisateur
        self.fields["volet"].choices = [(v, Volet(v).label) for v in dispositif.volets if v in Volet.values]
        self.enveloppe = None
        if utilisateur is None:  # the public check, before sign-up (views/aides.py): any well-formed SIRET, or none
            self.fields["siret"].required = False
            self.fields[
                "siret"
            ].help_text = (
                "14 chiffres, par exemple 732 829 320 00074. Facultatif ici : il sera repris pour créer votre compte."
            )
        else:
            self._preremplir(utilisateur)

    def _preremplir(self, utilisateur):
        """The SIRET and the name of the structure, from the porteur's habilitation (when it has just one)."""
        structures = {h.siret: h.organisme for h in permissions.habilitations(utilisateur) if h.siret}
        if len(structures) == 1:
            siret, organisme = next(iter(structures.items()))
            self.fields["siret"].initial = siret
            self.fields["porteur_nom"].initial = organisme
            self.fields["siret"].help_text = "Le SIRET de la structure de votre compte."
        elif structures:
            self.fields["siret"].help_text = "Celui d’une structure de votre compte : " + ", ".join(
                f"{siret} ({organisme or 'sans nom'})" for siret, organisme in sorted(structures.items())
            )
        self._bound_fields_cache.pop("siret", None)  # built by DsfrBaseForm before the help text was set

    def clean_siret(self):
        if self.utilisateur is None:
            return valider_siret(self.cleaned_data["siret"]) if self.cleaned_data["siret"].strip() else ""
        siret = valider_siret(self.cleaned_data["siret"])
        raison = eligibilite.raison_siret(siret, self.utilisateur)
        if raison:
            raise ValidationError(raison)
        return siret

    def clean_commune(self):
        return resoudre_commune(self.cleaned_data["commune"])

    def clean(self):
        donnees = super().clean()
        raison = eligibilite.raison_dispositif_ferme(self.dispositif, timezone.localdate())
        if raison:
            raise ValidationError(raison)
        volet, type_porteur = donnees.get("volet"), donnees.get("porteur_type")
        if volet and type_porteur:
            raison = eligibilite.raison_type_porteur(type_porteur, volet)
            if raison:
                self.add_error("porteur_type", raison)
        commune = donnees.get("commune")
        if commune is None:
            return donnees
        candidats = eligibilite.territoires_de_phase_2(commune)
        if not candidats:
            self.add_error(
                "commune",
                f"{commune.nom} ({commune.code}) ne fait partie d’aucun territoire d’industrie de la phase 2 "
                "(2023-2027) : le dispositif est réservé à ces territoires.",
            )
            return donnees
        if len(candidats) == 1:
            donnees["territoire"] = candidats[0]
        elif donnees.get("territoire") not in candidats:
            self.fields["territoire"].queryset = Territoire.objects.filter(pk__in=[t.pk for t in candidats])
            self.fields["territoire"].widget = forms.Select(choices=[("", "Choisissez le territoire")])
            self.fields["territoire"].widget.choices = self.fields["territoire"].choices
            self.add_error(
                "territoire",
                f"{commune.nom} fait partie de plusieurs territoires d’industrie : choisissez celui du projet.",
            )
            return donnees
        self.enveloppe = eligibilite.enveloppe_de(self.dispositif, commune)
        if self.enveloppe is None:
            self.add_error(
                "commune",
                f"La région {commune.region} n’a pas encore d’enveloppe pour ce dispositif : aucun dossier ne peut "
                "y être déposé pour l’instant.",
            )
        return donnees


class DossierForm(DsfrBaseForm, forms.ModelForm):
    """The dossier as the porteur writes it, in several sittings. `version` is the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Dossier
        fields = CHAMPS
        field_classes = {
            "cout_total": MontantField,
            "cout_eligible": MontantField,
            "aide_demandee": MontantField,
            "tco2e_evitees": NombreFrancaisField,
            "energie_economisee": NombreFrancaisField,
            "hectares": NombreFrancaisField,
        }
        labels = {"projet": "Fiche-action du territoire liée au projet"}  # marked « (Optionnel) » by django-dsfr
        widgets = {"porteur_adresse": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"})}
        help_texts = {"aide_demandee": "Le montant demandé au Fonds vert ; il ne dépasse pas le coût éligible."}

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projet"].queryset = (
            Projet.objects.visible_to(utilisateur).filter(territoire=self.instance.territoire).order_by("titre")
        )
        self.fields["projet"].empty_label = "Aucune fiche-action"
        self.fields["version"].initial = self.instance.version

    def clean(self):
        donnees = super().clean()
        total, eligible, aide = (donnees.get(c) for c in ("cout_total", "cout_eligible", "aide_demandee"))
        if total is not None and eligible is not None and eligible > total:
            self.add_error("cout_eligible", "Le coût éligible ne peut pas dépasser le coût total.")
        if eligible is not None and aide is not None and aide > eligible:
            self.add_error("aide_demandee", "L’aide demandée ne peut pas dépasser le coût éligible.")
        return donnees


class LigneFinancementDossierForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = LigneFinancementDossier
        fields = ["financeur", "montant", "acquis"]
        field_classes = {"montant": MontantField}
        labels = {"montant": "Montant (€)", "acquis": "Financement acquis"}
        help_texts = {"financeur": "Par exemple : fonds propres, Conseil régional, Fonds vert (l’aide demandée)."}


class BaseLignesDossierFormSet(FormSetDeLignes):
    ligne_etrangere = "Cette ligne ne fait pas partie du plan de financement du dossier : rechargez la page."
    lignes_etrangeres = "Une des lignes ne fait pas partie de ce dossier : rechargez la page."

    def donnees(self) -> list[dict]:
        """Lines to add, change or remove, for `actions.depot.enregistrer` (call after `is_valid()`)."""
        lignes = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            supprimer = form.cleaned_data.get("DELETE", False)
            if form.instance.pk is None and supprimer:
                continue
            lignes.append(
                {
                    "ligne": form.cleaned_data.get("id"),
                    "financeur": form.cleaned_data.get("financeur"),
                    "montant": form.cleaned_data.get("montant"),
                    "acquis": form.cleaned_data.get("acquis", False),
                    "supprimer": supprimer,
                }
            )
        return lignes


LignesDossierFormSet = forms.inlineformset_factory(
    Dossier,
    LigneFinancementDossier,
    form=LigneFinancementDossierForm,
    formset=BaseLignesDossierFormSet,
    fields=["financeur", "montant", "acquis"],
    extra=2,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


class FichiersMultiples(forms.ClearableFileInput):
    allow_multiple_selected = True


class ChampFichiers(forms.FileField):
    """Several files in one input; cleans to the list of files (empty when none is chosen and none is required)."""

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)) and data:
            return [super(ChampFichiers, self).clean(fichier, initial) for fichier in data]
        fichier = super().clean(data or None, initial)
        return [fichier] if fichier else []


class PieceForm(DsfrBaseForm):
    """One or several files of one type of piece. In the dossier form (without JavaScript), choosing no file is
    allowed (`requis=False`): the form then only saves the draft."""

    type = forms.ChoiceField(label="Type de pièce", choices=PieceJointe.Type.choices)
    fichier = ChampFichiers(
        label="Fichiers",
        help_text=f"Un ou plusieurs fichiers. {AIDE_DOCUMENT}",
        error_messages={"required": "Choisissez le ou les fichiers à déposer."},
        widget=FichiersMultiples(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, requis=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].required = requis
        self.fields["type"].required = requis
        self.types_mime = []

    def clean_fichier(self):
        fichiers = self.cleaned_data["fichier"]
        erreurs = []
        for fichier in fichiers:
            try:
                self.types_mime.append(verifier_document(fichier))
            except ValidationError as erreur:
                erreurs.extend(f"« {fichier.name} » : {message}" for message in erreur.messages)
        if erreurs:
            raise ValidationError(erreurs)
        return fichiers

    def clean(self):
        donnees = super().clean()
        if donnees.get("fichier") and not donnees.get("type"):
            self.add_error("type", "Choisissez le type de pièce des fichiers à joindre.")
        return donnees

    def fichiers(self) -> list[tuple]:
        """(file, MIME type) pairs, after `is_valid()`."""
        return list(zip(self.cleaned_data.get("fichier") or [], self.types_mime, strict=True))


class ReponseForm(DsfrBaseForm):
    reponse = forms.CharField(
        label="Votre réponse à l’instruction",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Elle rejoint les échanges du dossier ; l’instructeur en est averti.",
    )
