"""The state-changing steps of the resource centre: each checks rights, writes in one transaction
and journals (decision 0049). A download is not a state change: it only counts, in SQL."""

from pathlib import PurePath

from django.db import transaction
from django.db.models import F, Max

from ti.animation.models_ressources import Etiquette, Ressource, VersionRessource, Visibilite
from ti.comptes import permissions
from ti.comptes.permissions import exiger
from ti.core.antivirus import analyser_fichier
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.televersements import verifier_document

__all__ = ["Refus", "publier", "ajouter_version", "compter_telechargement"]


def _verifier_portee(par, *, visibilite: str, region, evenement) -> None:
    if visibilite == Visibilite.REGION and region is None:
        raise Refus("Une ressource réservée à une région doit nommer cette région.")
    if evenement is not None and not permissions.peut(par, "animer_evenement", evenement):
        raise Refus(f"Vous n’organisez pas « {evenement} » : la ressource ne peut pas y être rattachée.")


def _ecrire_version(ressource: Ressource, *, par, fichier=None, lien: str = "", note: str = "") -> VersionRessource:
    if bool(fichier) == bool(lien):
        raise Refus("Déposez un fichier ou indiquez un lien (pour un replay), l’un des deux.")
    # Read after the resource's row is locked, in a statement of its own: it sees the version a concurrent upload
    # committed while this one waited for the lock (a join in the locking query would not).
    numero = (ressource.versions.aggregate(dernier=Max("numero"))["dernier"] or 0) + 1
    version = VersionRessource(ressource=ressource, numero=numero, lien=lien, note=note, deposee_par=par)
    if fichier:
        version.type_mime = verifier_document(fichier)  # ValidationError in French before anything is written
        version.taille = fichier.size
        version.nom = PurePath(fichier.name).name
        version.fichier.save(version.nom, fichier, save=False)
    version.save()
    if fichier:
        analyser_fichier(version)
    ressource.derniere_version = version
    ressource.save(update_fields=["derniere_version", "modifie_le"])
    return version


@transaction.atomic
def publier(
    *, par, titre: str, type: str, resume: str, theme: str, etiquettes: list[str], visibilite: str,
    region=None, evenement=None, fichier=None, lien: str = "",
) -> Ressource:  # fmt: skip
    """A new resource with its first version. A referent's resource is his région's (rule `publier_ressource`)."""
    ressource = Ressource(
        titre=titre, type=type, resume=resume, theme=theme, visibilite=visibilite, region=region,
        evenement=evenement, publiee_par=par,
    )  # fmt: skip
    exiger(par, "publier_ressource", ressource)
    _verifier_portee(par, visibilite=visibilite, region=region, evenement=evenement)
    ressource.texte_recherche = ressource.calculer_texte_recherche(etiquettes)
    ressource.save()
    ressource.etiquettes.set([Etiquette.objects.get_or_create(nom=nom)[0] for nom in etiquettes])
    version = _ecrire_version(ressource, par=par, fichier=fichier, lien=lien)
    journaliser(
        acteur=par,
        action="animation.ressource_publiee",
        objet=ressource,
        details={"visibilite": visibilite, "version": version.numero},
    )
    return ressource


@transaction.atomic
def ajouter_version(*, ressource: Ressource, par, fichier=None, lien: str = "", note: str = "") -> VersionRessource:
    """A new version; the earlier ones are kept and listed. Concurrent uploads are numbered one after the other."""
    exiger(par, "publier_ressource", ressource)
    ressource = Ressource.objects.select_for_update().get(pk=ressource.pk)
    version = _ecrire_version(ressource, par=par, fichier=fichier, lien=lien, note=note)
    journaliser(acteur=par, action="animation.version_ajoutee", objet=ressource, details={"version": version.numero})
    return version


def compter_telechargement(version: VersionRessource) -> None:
    """One more download of the version and of its resource, counted by the database (no lost update)."""
    with transaction.atomic():
        VersionRessource.objects.filter(pk=version.pk).update(telechargements=F("telechargements") + 1)
        Ressource.objects.filter(pk=version.ressource_id).update(telechargements=F("telechargements") + 1)
