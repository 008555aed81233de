"""The state-changing steps of the foncier part: each one checks, writes, journals, and queues its side effects."""

from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from ti.comptes.permissions import exiger
from ti.core.antivirus import analyser_fichier
from ti.core.etats import Refus
from ti.core.models import journaliser
from ti.core.travaux import differer
from ti.foncier import televersement
from ti.foncier.models import CYCLE_DEMANDE, CYCLE_SITE, Demande, Piece, Site


@transaction.atomic
def changer_statut_site(*, site: Site, par, statut: str, motif: str = "") -> Site:
    exiger(par, "gerer_site", site)
    site = Site.objects.select_for_update().get(pk=site.pk)
    CYCLE_SITE.passer(site, statut, par=par, motif=motif, autres_champs=("modifie_le",))
    return site


# What a territory keeps up to date on its site; the standard's identity (identifiers, commune) comes by import.
CHAMPS_MODIFIABLES = (
    "nom", "description", "url", "surface_brute", "surface_utile", "surface_disponible", "vague",
    "disponible_immediatement", "disponible_le", "icpe_purgee", "archeologie_purgee", "inventaire_quatre_saisons",
    "zonage_urbanisme", "conditions", "conditions_detail", "embranchement_fer", "acces_portuaire",
    "desserte_routiere", "puissance_mw", "eau", "tres_haut_debit", "proprietaire", "contact_nom", "contact_organisme",
)  # fmt: skip


@transaction.atomic
def modifier_site(*, site: Site, par, donnees: dict, motif: str = "") -> dict:
    """Writes the fields that changed; returns them, {field: [before, after]}, also journalled in one row."""
    exiger(par, "gerer_site", site)
    if inconnus := set(donnees) - set(CHAMPS_MODIFIABLES):
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(inconnus))}")
    site = Site.objects.select_for_update().get(pk=site.pk)
    changements = {}
    for champ, valeur in donnees.items():
        if getattr(site, champ) != valeur:
            changements[champ] = [str(getattr(site, champ)), str(valeur)]
            setattr(site, champ, valeur)
    if changements:
        if site.surface_utile > site.surface_brute:
            raise Refus("La surface utile ne peut pas dépasser la surface brute.")
        site.date_actualisation = timezone.localdate()
        site.save(update_fields=[*changements, "date_actualisation", "modifie_le"])
        journaliser(acteur=par, action="foncier.site_modifie", objet=site, details=changements, motif=motif)
    return changements


@transaction.atomic
def deposer_demande(*, site: Site, **champs) -> Demande:
    """An investor's request (anonymous): kept, journalled, and its recipients told once it is saved."""
    demande = Demande.objects.create(site=site, **champs)
    journaliser(acteur=None, action="foncier.demande_recue", objet=demande, details={"site": site.identifiant})
    differer("ti.foncier.notifications.demande_recue", demande.pk)
    return demande


@transaction.atomic
def changer_statut_demande(*, demande: Demande, par, statut: str, motif: str = "") -> Demande:
    exiger(par, "suivre_demande", demande)
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    CYCLE_DEMANDE.passer(demande, statut, par=par, motif=motif)
    return demande


@transaction.atomic
def ajouter_piece(*, site: Site, par, fichier, legende: str) -> Piece:
    """A photo or a document, checked (ValidationError in French) before anything is written."""
    exiger(par, "gerer_site", site)
    type_mime = televersement.verifier_piece(fichier)
    piece = Piece(site=site, legende=legende, type_mime=type_mime, taille=fichier.size, depose_par=par)
    piece.nom = PurePath(fichier.name).name
    piece.fichier.save(piece.nom, fichier, save=False)
    piece.save()
    analyser_fichier(piece)
    journaliser(acteur=par, action="foncier.piece_ajoutee", objet=site, details={"piece": piece.pk, "nom": piece.nom})
    return piece


@transaction.atomic
def archiver_piece(*, piece: Piece, par) -> Piece:
    exiger(par, "gerer_site", piece.site)
    piece.archive_le = timezone.now()
    piece.save(update_fields=["archive_le"])
    journaliser(acteur=par, action="foncier.piece_archivee", objet=piece.site, details={"piece": piece.pk})
    return piece
