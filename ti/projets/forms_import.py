"""The upload form of the fiches-action import: the shared spreadsheet checks, with this import's size limit."""

from ti.core.formulaire_tableur import TableurForm
from ti.projets.importer import TAILLE_MAX


class ImportForm(TableurForm):
    libelle = "Fichier des fiches-action"
    taille_max = TAILLE_MAX
