"""Import of a territory's fiches-action from a spreadsheet: the one step that writes.

The file is checked again here, inside the transaction, whatever the preview said: the territory's perimeter or
its fiches may have changed since. Then every row is written, or none (see `ti.projets.importer`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ti.comptes import permissions
from ti.core.models import Journal
from ti.projets import import_ecriture, importer
from ti.projets.actions import plans
from ti.projets.import_analyse import Analyse
from ti.projets.models import Projet
from ti.territoires.models import Territoire

ACTION = import_ecriture.ACTION


class ImportRefuse(Exception):
    """The file holds errors; `analyse` lists them all. Nothing was written."""

    def __init__(self, analyse: Analyse):
        super().__init__(f"{len(analyse.erreurs)} erreur(s)")
        self.analyse = analyse


class DejaImporte(Exception):
    """This deposit (`depot`) was imported already: a second click on « Importer » must not import it twice."""


@transaction.atomic
def importer_projets(*, territoire: Territoire, par, contenu: bytes, nom_fichier: str, depot: str = "") -> list[Projet]:
    """Create one fiche-action per row of the file, all in one transaction, or raise `ImportRefuse`.

    `depot` identifies the uploaded file between preview and confirmation; the same one is never imported twice.
    Chef de projet of the territory and national team only (403 otherwise)."""
    permissions.exiger(par, "modifier_projet", territoire)
    # Imports of one territory run one after the other: the duplicate check below then sees the first one's row.
    territoire = Territoire.objects.select_for_update().get(pk=territoire.pk)
    if depot and deja_importe(territoire, depot):
        raise DejaImporte(depot)
    analyse = importer.analyser(territoire=territoire, contenu=contenu, nom_fichier=nom_fichier)
    if not analyse.valide:
        raise ImportRefuse(analyse)
    projets = import_ecriture.ecrire(analyse=analyse, par=par, motif=f"Import du fichier {nom_fichier}", depot=depot)
    plans.noter_changement(territoire=territoire, par=par, ajoutees=projets)
    return projets


def deja_importe(territoire: Territoire, depot: str) -> bool:
    return Journal.objects.filter(
        objet_type=ContentType.objects.get_for_model(Territoire),
        objet_id=str(territoire.pk),
        action=ACTION,
        **{"details__dépôt": depot},
    ).exists()
