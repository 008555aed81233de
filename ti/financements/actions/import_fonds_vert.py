"""The national team's import of a yearly Fonds vert file from the site: deposit with its preview, confirmation,
run (docs/decisions/0035-liste-fonds-vert-reelle.md).

The preview writes no award. The run is a job (`ti.core.travaux.differer`): it reads the kept file again, checks
it again against the référentiel of the moment, writes everything or nothing, and records its progress and result
on the `ImportFondsVert`, which the page polls.
"""

import hashlib
import logging
import time
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ti.comptes import permissions
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.travaux import differer
from ti.financements.ecriture_fonds_vert import enregistrer
from ti.financements.import_fonds_vert import analyser
from ti.financements.models import ImportFondsVert
from ti.financements.rapport_fonds_vert import Rapport

logger = logging.getLogger(__name__)
Statut = ImportFondsVert.Statut
ERREUR_INATTENDUE = (
    "L’import s’est interrompu sur une erreur inattendue : rien n’a été modifié. L’équipe technique en est avertie ; "
    "vous pouvez déposer le fichier de nouveau."
)


def deposer(*, par, contenu: bytes, nom_fichier: str, annee: int) -> tuple[ImportFondsVert | None, Rapport]:
    """Check and place the file without writing any award. When it is accepted, keep it with its preview, to be
    confirmed; when refused, keep nothing and return the report with every error. National team only (403)."""
    permissions.exiger(par, "importer_fonds_vert")
    analyse = analyser(contenu, fichier=nom_fichier, annee=annee)
    if not analyse.rapport.accepte:
        return None, analyse.rapport
    import_ = ImportFondsVert(
        nom_fichier=nom_fichier,
        empreinte=analyse.empreinte,
        annee=annee,
        par=par,
        lignes_total=analyse.rapport.lignes,
        apercu=analyse.rapport.resume(),
    )
    extension = PurePath(nom_fichier).suffix.lower()
    with transaction.atomic():
        import_.fichier.save(f"{uuid.uuid4().hex}{extension}", ContentFile(contenu), save=False)
        import_.save()
        journaliser(
            acteur=par,
            action="import_fonds_vert_depose",
            objet=import_,
            details={
                "fichier": nom_fichier,
                "annee": annee,
                "empreinte": import_.empreinte,
                "lignes": import_.lignes_total,
            },
        )
    return import_, analyse.rapport


@transaction.atomic
def confirmer(*, import_: ImportFondsVert, par) -> ImportFondsVert:
    """Queue the run of a previewed import; a second click finds it confirmed and changes nothing."""
    permissions.exiger(par, "importer_fonds_vert")
    import_ = ImportFondsVert.objects.select_for_update().get(pk=import_.pk)
    if import_.statut != Statut.APERCU:
        raise Refus(f"Cet import a déjà été confirmé ({import_.get_statut_display().lower()}).")
    import_.statut, import_.confirme_le = Statut.EN_ATTENTE, timezone.now()
    import_.save(update_fields=["statut", "confirme_le"])
    journaliser(
        acteur=par,
        action="import_fonds_vert_confirme",
        objet=import_,
        details={"fichier": import_.nom_fichier, "annee": import_.annee, "empreinte": import_.empreinte},
        motif=f"Import de la liste nationale du Fonds vert {import_.annee}",
    )
    differer("ti.financements.actions.import_fonds_vert.executer_import_fonds_vert", import_.pk)
    return import_


def executer_import_fonds_vert(import_id: int) -> None:
    """The run of a confirmed import (a job: it may run in another process, later, or twice)."""
    if not ImportFondsVert.objects.filter(pk=import_id, statut=Statut.EN_ATTENTE).update(statut=Statut.EN_COURS):
        return  # already taken by another run
    import_ = ImportFondsVert.objects.select_related("par").get(pk=import_id)
    debut = time.perf_counter()
    try:
        with import_.fichier.open("rb") as fichier:
            contenu = fichier.read()
        if hashlib.sha256(contenu).hexdigest() != import_.empreinte:
            rapport = Rapport(fichier=import_.nom_fichier, annee=import_.annee)
            rapport.erreur(None, "Le fichier déposé a changé depuis l’aperçu : déposez-le de nouveau.")
        else:
            analyse = analyser(
                contenu, fichier=import_.nom_fichier, annee=import_.annee, progression=_progression(import_id)
            )
            rapport = analyse.rapport
            if rapport.accepte:
                enregistrer(analyse, par=import_.par)  # one transaction: all or nothing
    except Exception:
        logger.exception("Import du Fonds vert %s interrompu", import_id)
        rapport = Rapport(fichier=import_.nom_fichier, annee=import_.annee)
        rapport.erreur(None, ERREUR_INATTENDUE)
    rapport.duree = time.perf_counter() - debut
    _terminer(
        import_id, Statut.TERMINE if rapport.accepte else Statut.ECHOUE, rapport.resume() | {"duree": rapport.duree}
    )


def _progression(import_id: int):
    """Rows checked so far, written outside the write transaction so that the polling page sees them."""

    def noter(traitees: int) -> None:
        ImportFondsVert.objects.filter(pk=import_id).update(lignes_traitees=traitees)

    return noter


def _terminer(import_id: int, statut: str, resultat: dict) -> None:
    with transaction.atomic():
        ImportFondsVert.objects.filter(pk=import_id).update(
            statut=statut, resultat=resultat, termine_le=timezone.now(), lignes_traitees=resultat.get("lignes", 0)
        )
        import_ = ImportFondsVert.objects.select_related("par").get(pk=import_id)
        journaliser(
            acteur=import_.par,
            action=f"import_fonds_vert_{statut}",
            objet=import_,
            details={"fichier": import_.nom_fichier, "annee": import_.annee, "erreurs": resultat.get("nb_erreurs", 0)},
        )
