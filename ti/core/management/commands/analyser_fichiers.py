"""Scans again the uploaded files waiting for the antivirus (clamd could not be reached at upload) and, on request,
those uploaded before an antivirus was configured. Meant for cron until the job queue takes it over."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from ti.animation.models_ressources import VersionRessource
from ti.core.antivirus import Analyse, analyser_fichier, analyseur
from ti.financements.models import PieceJointe
from ti.foncier.models import Piece as PieceSite
from ti.projets.models import Document


class Command(BaseCommand):
    help = (
        "Analyse les fichiers déposés encore « en attente d’analyse » antivirus ; avec --non-analyses, aussi ceux "
        "déposés avant que l’antivirus ne soit configuré."
    )

    def add_arguments(self, parser):
        parser.add_argument("--non-analyses", action="store_true", help="Analyser aussi les fichiers non analysés.")

    def handle(self, *args, **options):
        if analyseur() is None:
            raise CommandError("Aucun antivirus n’est configuré (réglage ANTIVIRUS) : rien à analyser.")
        statuts = [Analyse.EN_ATTENTE] + ([Analyse.NON_ANALYSE] if options["non_analyses"] else [])
        verdicts = Counter()
        for modele in (Document, PieceJointe, PieceSite, VersionRessource):
            for depot in modele.objects.filter(analyse__in=statuts).order_by("pk").iterator():
                verdicts[analyser_fichier(depot)] += 1
        self.stdout.write(
            f"{verdicts.total()} fichier(s) analysé(s) : {verdicts[Analyse.SAIN]} sain(s), "
            f"{verdicts[Analyse.QUARANTAINE]} en quarantaine, {verdicts[Analyse.EN_ATTENTE]} encore en attente."
        )
