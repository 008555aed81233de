"""The two forms of the page: the file, then the column(s) that name the commune."""

from django import forms

from ti.core.tableaux_flux import TAILLE_MAX

EXTENSIONS = (".csv", ".txt", ".xlsx")
PAR_CODE, PAR_NOM = "code", "nom"
INDICES_CODE = ("insee", "code commune", "code_commune", "codgeo", "depcom", "code")


class DepotForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier à croiser",
        help_text=f"CSV ou classeur Excel (.xlsx), {TAILLE_MAX // 1024 // 1024} Mo au plus.",
        error_messages={"required": "Choisissez le fichier à croiser.", "empty": "Le fichier déposé est vide."},
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if not fichier.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                f"« {fichier.name} » n’est ni un fichier CSV ni un classeur XLSX : enregistrez votre tableau dans "
                "l’un de ces formats."
            )
        return fichier


class ChoixForm(forms.Form):
    mode = forms.ChoiceField(
        label="La commune est désignée par",
        choices=[(PAR_CODE, "son code INSEE (code commune)"), (PAR_NOM, "son nom et son département")],
        widget=forms.RadioSelect,
        initial=PAR_CODE,
    )
    colonne_code = forms.ChoiceField(label="Colonne du code commune", required=False)
    colonne_nom = forms.ChoiceField(label="Colonne du nom de la commune", required=False)
    colonne_departement = forms.ChoiceField(
        label="Colonne du département", help_text="Code (01, 2A, 971) ou nom.", required=False
    )

    def __init__(self, *args, entete: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choix = [("", "— Choisir une colonne —"), *((titre, titre) for titre in entete if titre)]
        for nom in ("colonne_code", "colonne_nom", "colonne_departement"):
            self.fields[nom].choices = choix
        code = _devine(entete, INDICES_CODE)
        departement = _devine(entete, ("departement", "département", "dep"), sauf=(code,))
        self.fields["colonne_code"].initial = code
        self.fields["colonne_departement"].initial = departement
        self.fields["colonne_nom"].initial = _devine(
            entete, ("commune", "nom", "libelle", "libellé", "ville"), sauf=(code, departement)
        )

    def clean(self):
        donnees = super().clean()
        if donnees.get("mode") == PAR_CODE and not donnees.get("colonne_code"):
            self.add_error("colonne_code", "Choisissez la colonne qui contient le code commune.")
        if donnees.get("mode") == PAR_NOM:
            for champ, quoi in (("colonne_nom", "le nom de la commune"), ("colonne_departement", "le département")):
                if not donnees.get(champ):
                    self.add_error(champ, f"Choisissez la colonne qui contient {quoi}.")
        return donnees

    def colonnes(self) -> dict:
        if self.cleaned_data["mode"] == PAR_CODE:
            return {"code": self.cleaned_data["colonne_code"]}
        return {"nom": self.cleaned_data["colonne_nom"], "departement": self.cleaned_data["colonne_departement"]}


def _devine(entete: list[str], indices: tuple[str, ...], sauf: tuple[str, ...] = ()) -> str:
    """The first column whose title contains one of the hints, in the hints' order, other than the columns already
    guessed for another field: a default, never a choice."""
    for indice in indices:
        for titre in entete:
            if titre not in sauf and indice in titre.casefold():
                return titre
    return ""
