"""`manage.py import_sites_eco [--sites site-eco.csv] [--terrains terrain-eco.csv]` (see ti/foncier/echange.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ti.foncier.echange import FichierRefuse, importer, lire_fichier


class Command(BaseCommand):
    help = (
        "Importe des sites clés en main aux fichiers du standard CNIG Sites économiques (classes site-eco et "
        "terrain-eco, CSV). Tout ou rien : une ligne invalide refuse l’import entier, chaque problème est signalé "
        "avec sa ligne. Un site ou un terrain déjà connu (même identifiant) est mis à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=Path, help="fichier site-eco (CSV)")
        parser.add_argument("--terrains", type=Path, help="fichier terrain-eco (CSV)")

    def handle(self, *args, sites=None, terrains=None, verbosity=1, **options):
        if sites is None and terrains is None:
            raise CommandError("Donnez au moins un fichier : --sites ou --terrains.")
        try:
            contenus = {
                nom: lire_fichier(chemin) if chemin else None
                for nom, chemin in [("sites", sites), ("terrains", terrains)]
            }
        except (FichierRefuse, OSError) as erreur:
            raise CommandError(str(erreur)) from erreur
        rapport = importer(par=None, **contenus)
        for remarque in rapport.remarques:
            self.stdout.write(f"Remarque : {remarque}")
        if not rapport.valide:
            self.stderr.write("\n".join(rapport.erreurs))
            raise CommandError(f"Import refusé ({len(rapport.erreurs)} problème(s)) : la base n’a pas été modifiée.")
        if verbosity >= 1:
            self.stdout.write(
                f"{rapport.crees} créé(s), {rapport.mis_a_jour} mis à jour, {rapport.inchanges} inchangé(s)."
            )
