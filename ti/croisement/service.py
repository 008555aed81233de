"""The steps of the cross-file tool shared by the page and the API: receive and check a file, turn the user's choice
of columns into indexes, answer with the result. Everything wrong said in French (`TableauIllisible`)."""

from pathlib import Path, PurePath

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from ti.core import tableaux_flux
from ti.core.formats import nombre as _n
from ti.core.tableaux import TableauIllisible
from ti.core.tableaux_flux import Examen

from . import depot, ecriture
from .placement import Choix

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE_CSV = "text/csv; charset=utf-8"


def recevoir(fichier: UploadedFile) -> tuple[str, Path, Examen]:
    """The file kept under a new token and checked whole; nothing is kept when it is refused."""
    if fichier.size > tableaux_flux.TAILLE_MAX:
        raise TableauIllisible(
            f"le fichier pèse {_n(fichier.size // 1024 // 1024)} Mo, "
            f"{_n(tableaux_flux.TAILLE_MAX // 1024 // 1024)} Mo au plus : découpez-le en plusieurs fichiers."
        )
    jeton, chemin = depot.deposer(fichier)
    try:
        examen = tableaux_flux.examiner(chemin)
    except TableauIllisible:
        depot.retirer(jeton)
        raise
    depot.enregistrer_examen(jeton, examen, fichier.name or "fichier")
    return jeton, chemin, examen


def choix_des_colonnes(examen: Examen, *, code: str = "", nom: str = "", departement: str = "") -> Choix:
    """Column names (as in the header, case and surrounding spaces ignored) → their indexes."""

    def index(colonne: str) -> int:
        cherche = colonne.strip().casefold()
        for rang, titre in enumerate(examen.entete):
            if titre.strip().casefold() == cherche:
                return rang
        colonnes = ", ".join(f"« {titre} »" for titre in examen.entete if titre)
        raise TableauIllisible(f"aucune colonne « {colonne} » dans le fichier ; ses colonnes : {colonnes}.")

    if code:
        return Choix(code=index(code))
    if nom and departement:
        return Choix(nom=index(nom), departement=index(departement))
    raise TableauIllisible(
        "indiquez la colonne des codes communes (INSEE), ou les colonnes du nom de la commune et du département."
    )


def phrase(refus: TableauIllisible) -> str:
    ligne = f" (ligne {refus.ligne})" if refus.ligne else ""
    return f"Fichier refusé{ligne} : {refus.message}"


def nom_du_resultat(nom: str, examen: Examen) -> str:
    return f"{PurePath(nom).stem or 'fichier'}-territoires-industrie.{examen.format}"


def reponse(jeton: str, chemin: Path, examen: Examen, nom: str, choix: Choix) -> HttpResponse:
    """The result as a download. CSV is streamed as it is written; XLSX is written whole to disk first (a workbook
    is a ZIP archive, complete only at the end), so that a refusal still comes before the first byte."""
    nom_resultat = nom_du_resultat(nom, examen)
    if examen.format == "xlsx":
        sortie = depot.dossier() / f"{jeton}.xlsx"
        try:
            ecriture.ecrire_xlsx(chemin, examen, choix, sortie)
            flux = sortie.open("rb")  # still readable once unlinked below
        finally:
            depot.retirer(jeton)
        return FileResponse(flux, as_attachment=True, filename=nom_resultat, content_type=TYPE_XLSX)

    def morceaux():
        try:
            yield from ecriture.csv_en_morceaux(chemin, examen, choix)
        finally:
            depot.retirer(jeton)

    reponse = StreamingHttpResponse(morceaux(), content_type=TYPE_CSV)
    reponse["Content-Disposition"] = content_disposition_header(True, nom_resultat)
    return reponse
