"""`manage.py import_fonds_vert FICHIER [--annee N]` (see ti/financements/import_fonds_vert.py)."""

from django.core.management.base import BaseCommand, CommandError

from ti.financements.import_fonds_vert import COLONNES, ImportRefuse, importer_fonds_vert


class Command(BaseCommand):
    help = (
        "Importe la liste nationale des attributions du Fonds vert d’une année (données ouvertes ; colonnes : "
        f"{', '.join(COLONNES)}). Place chaque attribution sur sa commune, sa région et ses territoires "
        "d’industrie ; les lignes d’un même dossier forment un dossier groupé. Identifiants et montants abîmés par un "
        "tableur normalisés et signalés (toutes les lignes avec --verbosity 2). Tout ou rien : une ligne invalide "
        "refuse le fichier entier. Un nouvel import met à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier CSV ou XLSX")
        parser.add_argument("--annee", type=int, help="année des attributions (sinon lue dans le nom du fichier)")

    def handle(self, *args, fichier, annee=None, verbosity=1, **options):
        try:
            rapport = importer_fonds_vert(fichier, annee=annee)
        except ImportRefuse as e:
            raise CommandError(str(e)) from e
        if not rapport.accepte:
            self.stderr.write(rapport.texte())
            raise CommandError(f"Import refusé ({len(rapport.erreurs)} erreur(s)) : la base n’a pas été modifiée.")
        if verbosity >= 1:
            self.stdout.write(rapport.texte(tout=verbosity >= 2))
