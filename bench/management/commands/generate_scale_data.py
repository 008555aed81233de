"""`manage.py generate_scale_data --factor N [--seed S] [--nettoyer]`: the synthetic dataset at the country's scale.

See bench.donnees_synthetiques.py and docs/decisions/0017-donnees-a-l-echelle.md.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.donnees_synthetiques import DejaGenere, Generateur, ReferentielAbsent, donnees_presentes, nettoyer


class Command(BaseCommand):
    help = (
        "Génère un jeu de données synthétique à l’échelle nationale sur le référentiel réel (facteur 1 : tous les "
        "EPCI dans un territoire, 20 000 fiches-action, 10 000 dossiers, 2 000 utilisateurs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="Multiplicateur des volumes (0.01, 1, 10…).")
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage : même graine, mêmes données.")
        parser.add_argument(
            "--nettoyer",
            action="store_true",
            dest="nettoyer_avant",
            help="Supprime d’abord les données synthétiques déjà présentes (et elles seules).",
        )

    def handle(self, *args, factor, seed, nettoyer_avant: bool = False, **options):
        if factor <= 0:
            raise CommandError("Le facteur doit être strictement positif.")
        if nettoyer_avant and donnees_presentes():
            debut = time.perf_counter()
            comptes = nettoyer()
            supprimees = sum(comptes.values())
            self.stdout.write(f"{supprimees} lignes synthétiques supprimées en {time.perf_counter() - debut:.1f} s.")
        self.stdout.write(f"Génération au facteur {factor:g}, graine {seed} :")
        debut = time.perf_counter()
        try:
            rapport = Generateur(facteur=factor, seed=seed).generer()
        except (ReferentielAbsent, DejaGenere) as erreur:
            raise CommandError(str(erreur)) from erreur
        self.stdout.write("")
        self.stdout.write(f"  {'table':<40} {'lignes':>9}  {'secondes':>8}  {'lignes/s':>9}")
        for m in rapport.mesures:
            self.stdout.write(f"  {m.table:<40} {m.lignes:>9}  {m.secondes:8.2f}  {m.lignes_par_seconde:9.0f}")
        total = time.perf_counter() - debut
        self.stdout.write(
            self.style.SUCCESS(
                f"{rapport.total_lignes} lignes insérées en {total:.1f} s au total, calcul compris "
                f"({rapport.total_lignes / total:.0f} lignes/s ; {rapport.total_secondes:.1f} s dans les INSERT)."
            )
        )
