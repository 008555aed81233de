"""Antivirus scan of uploaded files (docs/decisions/0025-antivirus.md): a pluggable scanner, a verdict per file.

The `ANTIVIRUS` setting chooses the scanner: « aucun » (no scan: files are served as before, marked « non analysé »),
« clamav » (the clamd daemon at `CLAMAV_ADRESSE`, a unix socket path or host:port, through the INSTREAM command), or
the dotted path of a class with an `analyser(flux)` method (another scanner; the tests' fake one).

A file is served only when it is « sain » or « non analysé ». An infected file is quarantined: kept for the
record, never served, and the page says why. When the scanner is configured but cannot answer, the file waits
« en attente d’analyse » and is not served until a later scan (`analyser_fichier` again) clears it.

`analyser_fichier` is a plain function of one stored file: it runs at upload today and can run from a job queue.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from ti.core.models import journaliser

logger = logging.getLogger(__name__)


class Analyse(models.TextChoices):
    NON_ANALYSE = "non_analyse", "Non analysé (aucun antivirus configuré)"
    EN_ATTENTE = "en_attente", "En attente d’analyse antivirus"
    SAIN = "sain", "Analysé par l’antivirus"
    QUARANTAINE = "quarantaine", "En quarantaine : un virus a été détecté"


SERVABLES = (Analyse.NON_ANALYSE, Analyse.SAIN)


class FichierAnalyse(models.Model):
    """An uploaded file's verdict; a model with a `fichier` FileField inherits it."""

    analyse = models.CharField("analyse antivirus", max_length=20, choices=Analyse.choices, default=Analyse.NON_ANALYSE)
    analyse_le = models.DateTimeField("analysé le", null=True, blank=True)
    menace = models.CharField("menace détectée", max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def servable(self) -> bool:
        return self.analyse in SERVABLES

    def telechargement(self, quoi: str):
        """The file as a download; a 404 saying why when it may not be served (quarantined) or is missing.
        `quoi` names it in the message: « La pièce », « Le document ». The model has `fichier`, `nom`, `type_mime`."""
        from django.http import FileResponse, Http404

        if not self.servable:  # quarantined: never served
            raise Http404(f"{quoi} « {self.nom} » n’est pas téléchargeable : {self.get_analyse_display()}.")
        try:
            contenu = self.fichier.open("rb")
        except FileNotFoundError:
            raise Http404(f"Le fichier de « {self.nom} » est introuvable.") from None
        return FileResponse(contenu, as_attachment=True, filename=self.nom, content_type=self.type_mime)


# Scanners -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resultat:
    menace: str = ""  # the signature's name when a threat is found; empty when the file is clean


class AntivirusIndisponible(Exception):
    """The scanner could not give a verdict (daemon down, timeout, unexpected answer)."""


class ClamAV:
    """The clamd daemon, through the maintained clamav-client library (INSTREAM: the bytes go over the socket, clamd
    needs no access to the platform's files)."""

    def __init__(self, adresse: str, delai: float):
        self.adresse = adresse
        self.delai = delai

    def _client(self):
        from clamav_client import clamd

        if self.adresse.startswith("/"):
            return clamd.ClamdUnixSocket(path=self.adresse, timeout=self.delai)
        hote, _, port = self.adresse.rpartition(":")
        return clamd.ClamdNetworkSocket(host=hote or "127.0.0.1", port=int(port or 3310), timeout=self.delai)

    def analyser(self, flux) -> Resultat:
        from clamav_client import clamd

        try:
            reponse = self._client().instream(flux)
        except (clamd.ClamdError, OSError) as e:
            raise AntivirusIndisponible(f"clamd ({self.adresse}) : {e}") from e
        statut, menace = reponse.get("stream", ("", ""))
        if statut == "FOUND":
            return Resultat(menace=menace or "menace sans nom")
        if statut == "OK":
            return Resultat()
        raise AntivirusIndisponible(f"clamd ({self.adresse}) : réponse inattendue {reponse!r}")


def analyseur():
    """The configured scanner, or None when none is."""
    choix = settings.ANTIVIRUS.strip()
    if choix in ("", "aucun", "none"):
        return None
    if choix == "clamav":
        return ClamAV(settings.CLAMAV_ADRESSE, settings.CLAMAV_DELAI)
    return import_string(choix)()


# The verdict of one file ----------------------------------------------------------------------------------------------


def analyser_fichier(depot: FichierAnalyse) -> str:
    """Scan the stored file of a Document or a PieceJointe, record and return its verdict; a threat is journalled."""
    scanner = analyseur()
    menace = ""
    if scanner is None:
        verdict = Analyse.NON_ANALYSE
    else:
        try:
            with depot.fichier.open("rb") as flux:
                menace = scanner.analyser(flux).menace
        except AntivirusIndisponible as e:
            logger.warning("Antivirus indisponible, fichier %s en attente d’analyse : %s", depot.fichier.name, e)
            verdict = Analyse.EN_ATTENTE
        else:
            verdict = Analyse.QUARANTAINE if menace else Analyse.SAIN
    depot.analyse, depot.menace = verdict, menace[:255]
    depot.analyse_le = timezone.now() if verdict in (Analyse.SAIN, Analyse.QUARANTAINE) else None
    depot.save(update_fields=["analyse", "menace", "analyse_le"])
    if verdict == Analyse.QUARANTAINE:
        journaliser(acteur=None, action="fichier_en_quarantaine", objet=depot, details={"menace": [None, menace]})
    return verdict
