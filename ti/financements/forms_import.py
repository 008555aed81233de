"""The upload form of the national list of Fonds vert awards: the shared spreadsheet checks, and the year."""

from pathlib import PurePath

from django import forms

from ti.core.formulaire_tableur import TableurForm
from ti.core.limites import TAILLE_TABLEAU_MAX
from ti.financements.import_fonds_vert import annee_du_fichier


class DepotForm(TableurForm):
    libelle = "Liste nationale des attributions du Fonds vert"
    taille_max = TAILLE_TABLEAU_MAX

    annee = forms.IntegerField(
        label="Année des attributions",
        help_text="Laissez vide si le nom du fichier la contient (« fonds-vert-2024.csv »).",
        required=False,
        min_value=2000,
        max_value=2100,
    )

    def clean(self):
        donnees = super().clean()
        fichier = donnees.get("fichier")
        if fichier and not donnees.get("annee") and "annee" not in self.errors:
            donnees["annee"] = annee_du_fichier(fichier.name)
            if donnees["annee"] is None:
                self.add_error(
                    "annee", f"Le nom « {PurePath(fichier.name).name} » ne contient pas d’année : indiquez-la."
                )
        return donnees
