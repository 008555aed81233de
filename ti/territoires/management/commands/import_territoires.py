"""`manage.py import_territoires --phase N COMMUNES.csv [--groupements GROUPEMENTS.csv]` (see importer.py)."""

from django.core.management.base import BaseCommand, CommandError

from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase


class Command(BaseCommand):
    help = (
        "Importe les périmètres des territoires d’industrie d’une phase depuis les fichiers de l’ANCT "
        "(communes : insee_com,lib_com,id_ti,lib_ti ; groupements : id_ti,siren_groupement,lib_groupement). "
        "Tout ou rien : une erreur refuse le fichier entier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--phase", type=int, required=True, choices=Phase.values, help="1 (Temps I) ou 2 (Temps II)"
        )
        parser.add_argument("fichier", help="fichier des communes (CSV)")
        parser.add_argument(
            "--groupements", help="fichier des groupements (CSV) ; sans lui, les EPCI sont déduits du référentiel"
        )

    def handle(self, *args, fichier, phase, groupements=None, verbosity=1, **options):
        rapport = importer_territoires(phase=phase, fichier=fichier, groupements=groupements)
        if not rapport.accepte:
            self.stderr.write(str(rapport))
            raise CommandError(f"Import refusé ({len(rapport.erreurs)} erreur(s)) : la base n’a pas été modifiée.")
        if verbosity >= 1:
            self.stdout.write(str(rapport))
