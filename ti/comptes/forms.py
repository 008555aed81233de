"""Forms of the accounts pages: they check input; rights and rules are the actions' business."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Role, Utilisateur
from ti.core.travaux import differer
from ti.core.validateurs import valider_siret
from ti.referentiel.models import Region
from ti.territoires.models import Territoire

ADRESSE_INVALIDE = {"invalid": "Saisissez une adresse électronique valide, par exemple nom@domaine.fr."}


def _normaliser_email(valeur: str) -> str:
    return (valeur or "").strip().lower()


def champ_email(label: str, help_text: str, **attrs) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        help_text=help_text,
        max_length=254,
        error_messages=ADRESSE_INVALIDE,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", **attrs}),
    )


def champ_siret(label: str, help_text: str, **options) -> forms.CharField:
    """A SIRET as typed (spaces accepted); `valider_siret` checks it in the form's clean method."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **options,
    )


def champ_organisme() -> forms.CharField:
    return forms.CharField(
        label="Nom de l’entreprise",
        help_text="Repris de l’annuaire des entreprises quand il répond.",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )


class ConnexionForm(auth_forms.AuthenticationForm):
    """E-mail and password. The field keeps Django's name `username`, the one django-axes reads."""

    username = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr",
        error_messages=ADRESSE_INVALIDE,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Après %(limite)s essais infructueux, "
            "la connexion à ce compte est bloquée pendant 30 minutes."
        ),
        "inactive": "Ce compte est désactivé. Adressez-vous à l’équipe nationale du programme.",
        "a_confirmer": (
            "Votre compte attend la confirmation de votre adresse électronique : ouvrez le lien du courriel reçu à "
            "votre inscription, ou demandez-en un nouveau depuis la page « Créer un compte »."
        ),
    }

    def clean_username(self):
        # One spelling per account, so that django-axes counts "Nom@X.fr" and "nom@x.fr" as the same login.
        return _normaliser_email(self.cleaned_data["username"])

    def _attend_confirmation(self) -> bool:
        """The right password of a self-service account not confirmed yet: told only to whoever knows the password,
        and with one password hash either way, so that it says nothing of which addresses have an account."""
        personne = Utilisateur.objects.filter(
            email__iexact=self.cleaned_data.get("username", ""), inscription_autonome=True, adresse_confirmee_le=None
        ).first()
        mot_de_passe = self.cleaned_data.get("password") or ""
        if personne is None:
            Utilisateur().set_password(mot_de_passe)  # the same work as a check
            return False
        return personne.check_password(mot_de_passe)

    def get_invalid_login_error(self):
        if self._attend_confirmation():
            return forms.ValidationError(self.error_messages["a_confirmer"], code="a_confirmer")
        return forms.ValidationError(
            self.error_messages["invalid_login"], code="invalid_login", params={"limite": settings.AXES_FAILURE_LIMIT}
        )


class DemandeReinitialisationForm(auth_forms.PasswordResetForm):
    email = champ_email(
        "Adresse électronique", "L’adresse de votre compte. Format attendu : nom@domaine.fr", autofocus=True
    )

    def get_users(self, email):
        """Active accounts with this address, including those opened by the national team whose holder has not
        chosen a password yet (Django leaves those out): the link of their invitation may have expired."""
        return get_user_model()._default_manager.filter(email__iexact=_normaliser_email(email), is_active=True)

    def save(self, **options):
        """Through the job queue: the job writes the link with a fresh token, so no secret waits in the queue,
        and a mail server down does not turn the request into an error page."""
        for utilisateur in self.get_users(self.cleaned_data["email"]):
            differer("ti.comptes.notifications.reinitialisation", utilisateur.pk)


class NouveauMotDePasseForm(auth_forms.SetPasswordForm):
    """Django's form (validators, French messages), with its labels in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
        self.fields["new_password1"].help_text = "Au moins 12 caractères, ni trop courant, ni proche de votre nom."


class ChangementMotDePasseForm(NouveauMotDePasseForm, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class RechercheUtilisateursForm(forms.Form):
    """Filters of the accounts list; invalid values are ignored rather than refused."""

    q = forms.CharField(label="Rechercher (adresse, nom, prénom)", required=False, max_length=100)
    role = forms.ChoiceField(label="Rôle", required=False, choices=[("", "Tous les rôles"), *Role.choices])
    region = forms.ModelChoiceField(
        label="Région", required=False, queryset=Region.objects.order_by("nom"), empty_label="Toutes les régions"
    )


class CompteForm(forms.ModelForm):
    class Meta:
        model = Utilisateur
        fields = ["email", "prenom", "nom", "organisation"]
        labels = {"email": "Adresse électronique", "prenom": "Prénom", "nom": "Nom", "organisation": "Organisation"}
        help_texts = {
            "email": "Un courriel y sera envoyé pour choisir le mot de passe. Format attendu : nom@domaine.fr",
            "organisation": "Par exemple : Préfecture de la région Centre-Val de Loire (SGAR).",
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "prenom": forms.TextInput(attrs={"autocomplete": "off"}),
            "nom": forms.TextInput(attrs={"autocomplete": "off"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(ADRESSE_INVALIDE)
        self.fields["prenom"].required = True
        self.fields["nom"].required = True

    def clean_email(self):
        email = _normaliser_email(self.cleaned_data["email"])
        if Utilisateur.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse électronique.")
        return email

    def validate_unique(self):
        """Uniqueness is checked above, case-insensitively, with a message of our own."""


class TerritoireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, territoire):
        return f"{territoire.nom} — {territoire.get_phase_display()}"


class HabilitationForm(forms.Form):
    """A role and the scope it applies to. Scope fields that do not belong to the chosen role are ignored."""

    role = forms.ChoiceField(label="Rôle", choices=[("", "Choisir un rôle"), *Role.choices])
    region = forms.ModelChoiceField(
        label="Région",
        help_text="Pour un instructeur régional, un expert ADEME ou un référent Conseil régional.",
        required=False,
        queryset=Region.objects.order_by("nom"),
        empty_label="Choisir une région",
    )
    territoire = TerritoireChoiceField(
        label="Territoire d’industrie",
        help_text="Pour un chef de projet ou un membre du binôme élu / industriel.",
        required=False,
        queryset=Territoire.objects.order_by("nom", "phase").only("pk", "nom", "phase"),
        empty_label="Choisir un territoire",
    )
    siret = champ_siret(
        "SIRET de la structure", "Pour un porteur de projet : 14 chiffres, espaces acceptés.", required=False
    )
    organisme = forms.CharField(
        label="Structure",
        help_text="Raison sociale du porteur, cabinet du consultant…",
        required=False,
        max_length=200,
    )
    valable_jusqu_au = forms.DateField(
        label="Valable jusqu’au",
        help_text="Dernier jour inclus, par exemple la fin d’une mission ou d’un contrat. Format : jj/mm/aaaa. "
        "Vide : jusqu’à son retrait.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide, par exemple 31/12/2027."},
    )
    motif = forms.CharField(
        label="Motif",
        help_text="Prise de poste, demande de la préfecture… Il figure au journal.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("region", "territoire", "siret"):
            self.fields[nom].conditionnel = True  # required by some roles: not labelled « facultatif »

    def clean_valable_jusqu_au(self):
        fin = self.cleaned_data["valable_jusqu_au"]
        if fin is not None and fin < timezone.localdate():
            raise forms.ValidationError("Cette date est passée : l’habilitation ne donnerait aucun droit.")
        return fin

    def clean(self):
        donnees = super().clean()
        role = donnees.get("role")
        if not role:
            return donnees
        if role not in ROLES_REGIONAUX:
            donnees["region"] = None
        if role not in ROLES_TERRITORIAUX:
            donnees["territoire"] = None
        if role == Role.PORTEUR:
            siret = donnees.get("siret", "")
            if not siret:
                self.add_error("siret", "Un porteur de projet est identifié par le SIRET de sa structure.")
            else:
                try:
                    donnees["siret"] = valider_siret(siret)
                except forms.ValidationError as erreur:
                    self.add_error("siret", erreur)
        else:
            donnees["siret"] = ""
        if role in ROLES_REGIONAUX and not donnees.get("region") and "region" not in self.errors:
            self.add_error("region", "Ce rôle s’exerce sur une région : choisissez-la.")
        if role in ROLES_TERRITORIAUX and not donnees.get("territoire") and "territoire" not in self.errors:
            self.add_error("territoire", "Ce rôle s’exerce sur un territoire : choisissez-le.")
        return donnees

    def perimetre(self) -> dict:
        """The keyword arguments of `actions.accorder_habilitation`."""
        donnees = self.cleaned_data
        champs = ("role", "region", "territoire", "siret", "organisme", "valable_jusqu_au", "motif")
        return {k: donnees[k] for k in champs}


class RevocationForm(forms.Form):
    motif = forms.CharField(
        label="Motif du retrait",
        help_text="Obligatoire : il est envoyé à la personne et figure au journal.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif du retrait."},
    )

    def clean_motif(self):
        motif = self.cleaned_data["motif"].strip()
        if not motif:
            raise forms.ValidationError("Indiquez le motif du retrait.")
        return motif


class InscriptionForm(forms.Form):
    """An applicant's own account: the address is confirmed by e-mail; the SIRET may wait for « Mes entreprises »."""

    email = champ_email(
        "Adresse électronique", "Un lien de confirmation y sera envoyé. Format attendu : nom@domaine.fr"
    )
    prenom = forms.CharField(
        label="Prénom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    nom = forms.CharField(label="Nom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    mot_de_passe = forms.CharField(
        label="Mot de passe",
        help_text="Au moins 12 caractères, ni trop courant, ni proche de votre nom.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirmation = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    siret = champ_siret(
        "SIRET de votre entreprise",
        "14 chiffres, espaces acceptés. Vous pourrez aussi l’ajouter plus tard dans « Mes entreprises ».",
        required=False,
    )
    organisme = champ_organisme()

    def clean_email(self):
        return _normaliser_email(self.cleaned_data["email"])

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        return valider_siret(siret) if siret.strip() else ""

    def clean(self):
        donnees = super().clean()
        mot_de_passe, confirmation = donnees.get("mot_de_passe"), donnees.get("confirmation")
        if mot_de_passe and confirmation and mot_de_passe != confirmation:
            self.add_error("confirmation", "Les deux mots de passe ne sont pas identiques.")
        elif mot_de_passe:
            personne = Utilisateur(
                email=donnees.get("email", ""), prenom=donnees.get("prenom", ""), nom=donnees.get("nom", "")
            )
            try:
                password_validation.validate_password(mot_de_passe, personne)
            except forms.ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees


class RenvoiLienForm(forms.Form):
    email = champ_email("Adresse électronique de votre compte", "Format attendu : nom@domaine.fr")


class RevendicationForm(forms.Form):
    siret = champ_siret(
        "SIRET de l’entreprise",
        "14 chiffres, espaces acceptés, par exemple 732 829 320 00074 : sur l’extrait Kbis ou l’avis Sirene.",
        error_messages={"required": "Saisissez le SIRET de l’entreprise."},
    )
    organisme = champ_organisme()

    def clean_siret(self):
        return valider_siret(self.cleaned_data["siret"])
