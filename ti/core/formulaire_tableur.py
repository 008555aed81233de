"""The upload of a table (CSV or XLSX) to import: one form field, its checks before the file is read.

The content is then read by `ti.core.tableaux.lire_tableau`; each importer bounds its own size and rows."""

from django import forms

EXTENSIONS_TABLEUR = (".csv", ".txt", ".xlsx")


class TableurForm(forms.Form):
    """Subclasses say what the file holds (`libelle`) and how heavy it may be (`taille_max`, in bytes)."""

    libelle = "Fichier"
    taille_max = 10 * 1024 * 1024

    fichier = forms.FileField(
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier déposé est vide."},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS_TABLEUR)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].label = self.libelle
        self.fields["fichier"].help_text = f"CSV ou XLSX, {self.taille_max // 1024 // 1024} Mo au plus."

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if not fichier.name.lower().endswith(EXTENSIONS_TABLEUR):
            raise forms.ValidationError(
                f"« {fichier.name} » n’est ni un fichier CSV ni un classeur XLSX : enregistrez votre tableau dans "
                "l’un de ces formats."
            )
        if fichier.size > self.taille_max:
            poids = f"{fichier.size / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Le fichier pèse {poids} Mo : {self.taille_max // 1024 // 1024} Mo au plus. Découpez-le en plusieurs."
            )
        return fichier
