"""The porteur's actions: create a dossier after eligibility, save it in several sittings, attach documents, file it.

Keyword-only, atomic, checked by the permission layer, journalised; e-mails leave after the commit.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ti.comptes import permissions
from ti.core.antivirus import analyser_fichier
from ti.core.formats import euros
from ti.core.models import journaliser
from ti.core.texte import cle_recherche
from ti.core.travaux import differer
from ti.financements.models import (
    Dossier,
    Enveloppe,
    LigneFinancementDossier,
    PieceJointe,
    Statut,
    Volet,
)
from ti.projets.actions import fiches as actions_fiches
from ti.projets.actions import plans
from ti.projets.models import Axe, LigneFinancement, Projet, StatutFinancement

CHAMPS = [
    "intitule",
    "porteur_adresse",
    "description",
    "projet",
    "cout_total",
    "cout_eligible",
    "aide_demandee",
    "tco2e_evitees",
    "energie_economisee",
    "hectares",
    "emplois_crees",
    "emplois_maintenus",
]
MONTANTS = {"cout_total", "cout_eligible", "aide_demandee", "plan_de_financement"}  # what the opinions judge
CHAMPS_OBLIGATOIRES = {
    "porteur_adresse": "l’adresse postale du porteur",
    "description": "la description du projet",
    "cout_total": "le coût total",
    "cout_eligible": "le coût éligible",
    "aide_demandee": "l’aide demandée",
}
FINANCEUR_FONDS_VERT = "fonds vert"  # the plan's line of the requested aid: its financeur names the Fonds vert
MESSAGE_FIGE = "Ce dossier est déposé : il n’est plus modifiable."


class VersionPerimee(Exception):
    """The form was built on an older version of the dossier."""


class DossierIncomplet(Exception):
    def __init__(self, raisons: list[str]):
        super().__init__(" ".join(raisons))
        self.raisons = raisons


def _pour_le_journal(valeur):
    if isinstance(valeur, Decimal):
        return str(valeur)
    if hasattr(valeur, "pk"):
        return str(valeur)
    return valeur


def _exiger_modifiable(dossier: Dossier) -> None:
    if not dossier.modifiable_par_le_porteur:
        raise PermissionDenied(MESSAGE_FIGE)


@transaction.atomic
def creer_dossier(
    *,
    par,
    dispositif,
    enveloppe: Enveloppe,
    territoire,
    commune,
    volet: str,
    siret: str,
    porteur_nom: str,
    porteur_type: str,
    intitule: str,
) -> Dossier:
    """A draft dossier, referenced « FV2024-24-00001 »: year, région code, the envelope's counter. The envelope row
    is locked while the counter is read, so two porteurs filing at once never get the same number."""
    permissions.exiger(par, "deposer_dossier")
    if siret not in {h.siret for h in permissions.habilitations(par) if h.siret}:
        raise PermissionDenied("Ce SIRET n’est pas celui d’une structure de votre compte.")
    enveloppe = Enveloppe.objects.select_for_update().select_related("region").get(pk=enveloppe.pk)
    prefixe = f"FV{dispositif.annee}-{enveloppe.region.code}-"
    derniere = (
        Dossier.objects.filter(reference__startswith=prefixe).order_by("-reference").values_list("reference", flat=True)
    ).first()
    numero = int(derniere.removeprefix(prefixe)) + 1 if derniere else 1
    dossier = Dossier.objects.create(
        reference=f"{prefixe}{numero:05d}",
        dispositif=dispositif,
        enveloppe=enveloppe,
        volet=volet,
        deposant=par,
        porteur_siret=siret,
        porteur_nom=porteur_nom,
        porteur_type=porteur_type,
        territoire=territoire,
        commune=commune,
        intitule=intitule,
        investissement_non_demarre=True,
    )
    journaliser(
        acteur=par,
        action="dossier_cree",
        objet=dossier,
        details={
            "volet": [None, volet],
            "porteur_siret": [None, siret],
            "commune": [None, commune.code],
            "territoire": [None, territoire.identifiant],
            "investissement_non_demarre": [None, True],
        },
    )
    return dossier


@transaction.atomic
def enregistrer(*, dossier: Dossier, par, version: int, donnees: dict, lignes: list[dict]) -> Dossier:
    """Saves the draft: fields of `CHAMPS` and the financing plan's lines (dicts from the formset's `donnees()`).

    Refused with VersionPerimee when someone saved in between (the form's input is kept by the view)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    permissions.exiger(par, "deposer_dossier", dossier)
    _exiger_modifiable(dossier)
    if dossier.version != version:
        raise VersionPerimee()
    details = {}
    for champ in CHAMPS:
        if champ not in donnees:
            continue
        avant, apres = getattr(dossier, champ), donnees[champ]
        if avant != apres:
            details[champ] = [_pour_le_journal(avant), _pour_le_journal(apres)]
            setattr(dossier, champ, apres)
    # The lines as stored (the form's instances already carry the input): compared to tell what changed.
    actuelles = {ligne.pk: ligne for ligne in dossier.financements.all()}
    for ligne in lignes:
        existante = None
        if ligne["ligne"] is not None:
            existante = actuelles.get(ligne["ligne"].pk)
            if existante is None:
                raise PermissionDenied("Une ligne ne fait pas partie de ce dossier.")
        if ligne["supprimer"]:
            if existante is not None:
                details.setdefault("plan_de_financement", []).append(
                    {"supprimee": [existante.financeur, str(existante.montant)]}
                )
                existante.delete()
            continue
        cible = existante or LigneFinancementDossier(dossier=dossier)
        avant = None if existante is None else [cible.financeur, str(cible.montant), cible.acquis]
        cible.financeur, cible.montant, cible.acquis = ligne["financeur"], ligne["montant"], ligne["acquis"]
        apres = [cible.financeur, str(cible.montant), cible.acquis]
        if avant != apres:
            cible.save()
            details.setdefault("plan_de_financement", []).append({"ligne": [avant, apres]})
    dossier.version += 1
    if MONTANTS & details.keys():
        details["version_montants"] = [dossier.version_montants, dossier.version_montants + 1]
        dossier.version_montants += 1
    dossier.save()
    journaliser(acteur=par, action="dossier_modifie", objet=dossier, details=details)
    return dossier


@transaction.atomic
def ajouter_piece(*, dossier: Dossier, par, type: str, fichier, type_mime: str) -> PieceJointe:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    permissions.exiger(par, "deposer_dossier", dossier)
    _exiger_modifiable(dossier)
    piece = PieceJointe(
        dossier=dossier, type=type, nom=fichier.name[:255], type_mime=type_mime, taille=fichier.size, depose_par=par
    )
    piece.fichier.save(fichier.name, fichier, save=False)
    piece.save()
    analyser_fichier(piece)
    journaliser(
        acteur=par,
        action="piece_deposee",
        objet=dossier,
        details={"piece": [None, f"{piece.get_type_display()} : {piece.nom}"]},
    )
    return piece


@transaction.atomic
def retirer_piece(*, piece: PieceJointe, par) -> PieceJointe:
    """Withdraws a piece until the filing: archived (never deleted), so that the journal and the récépissés of
    earlier filings keep naming it."""
    dossier = Dossier.objects.select_for_update().get(pk=piece.dossier_id)
    permissions.exiger(par, "deposer_dossier", dossier)
    _exiger_modifiable(dossier)
    piece = PieceJointe.objects.select_for_update().get(pk=piece.pk, dossier=dossier)
    if piece.archive_le is not None:
        return piece
    piece.archive_le = timezone.now()
    piece.save(update_fields=["archive_le"])
    journaliser(
        acteur=par,
        action="piece_retiree",
        objet=dossier,
        details={"piece": [f"{piece.get_type_display()} : {piece.nom}", None]},
    )
    return piece


def pieces_requises_du_volet(volet: str) -> list[str]:
    """Kbis for every porteur; the feasibility study for volet 1 (investments). Also listed on the public aid page."""
    requises = [PieceJointe.Type.KBIS]
    if volet == Volet.INVESTISSEMENT:
        requises.insert(0, PieceJointe.Type.ETUDE_FAISABILITE)
    return requises


def pieces_requises(dossier: Dossier) -> list[str]:
    return pieces_requises_du_volet(dossier.volet)


def raisons_incompletude(dossier: Dossier) -> list[str]:
    """What stops the filing, each with its figures (two queries: the plan's lines, the documents' types).

    The financing plan balances when its lines total the total cost exactly, and when the line whose financeur
    names the Fonds vert equals the requested aid (see docs/decisions/0013-depot-dossiers.md)."""
    raisons = []
    manquants = [libelle for champ, libelle in CHAMPS_OBLIGATOIRES.items() if getattr(dossier, champ) in (None, "")]
    if manquants:
        raisons.append(f"Renseignez {', '.join(manquants)}.")
    lignes = list(dossier.financements.all())
    if dossier.cout_total is not None:
        total = sum((ligne.montant for ligne in lignes), Decimal(0))
        ecart = dossier.cout_total - total
        if ecart:
            constat = f"il manque {euros(ecart)}" if ecart > 0 else f"il excède le coût de {euros(-ecart)}"
            raisons.append(
                f"Le plan de financement ne s’équilibre pas : ses lignes totalisent {euros(total)} pour un coût total "
                f"de {euros(dossier.cout_total)} ; {constat}."
            )
    if dossier.aide_demandee is not None:
        fonds_vert = [ligne for ligne in lignes if FINANCEUR_FONDS_VERT in cle_recherche(ligne.financeur)]
        montant = sum((ligne.montant for ligne in fonds_vert), Decimal(0))
        if not fonds_vert:
            raisons.append(
                "Ajoutez au plan de financement la ligne « Fonds vert » de l’aide demandée "
                f"({euros(dossier.aide_demandee)})."
            )
        elif montant != dossier.aide_demandee:
            raisons.append(
                f"La ligne « Fonds vert » du plan ({euros(montant)}) doit être égale à l’aide demandée "
                f"({euros(dossier.aide_demandee)}) : écart de {euros(abs(dossier.aide_demandee - montant))}."
            )
    presentes = set(dossier.pieces.filter(archive_le__isnull=True).values_list("type", flat=True))
    for type_piece in pieces_requises(dossier):
        if type_piece not in presentes:
            raisons.append(f"Joignez la pièce obligatoire : {PieceJointe.Type(type_piece).label.lower()}.")
    if not dossier.dispositif.est_ouvert():
        raisons.append("Le dispositif est clos : il n’accepte plus de dossier.")
    return raisons


def _creer_fiche(dossier: Dossier, par) -> tuple[Projet, bool]:
    """A fiche-action of the dossier's territory made from the dossier; returns it and whether the porteur is its
    author. A porteur may not write fiches-action (rule "modifier_projet"): the fiche is then created by the system,
    the journal saying from which dossier and for whom, and the territory's plan notes the change as for any fiche."""
    donnees = {
        "titre": dossier.intitule[:255],
        "description": dossier.description,
        "porteur_nom": dossier.porteur_nom,
        "porteur_siret": dossier.porteur_siret,
        "porteur_type": dossier.porteur_type,
        "axe": Axe.RECRUTER if dossier.volet == Volet.COMPETENCES else Axe.INNOVER,
        "commune": dossier.commune,
        "budget": dossier.cout_total,
        "emplois_crees": dossier.emplois_crees,
        "emplois_maintenus": dossier.emplois_maintenus,
        "tco2e_evitees": dossier.tco2e_evitees,
        "hectares": dossier.hectares,
    }
    lignes = [
        {
            "financeur": ligne.financeur,
            "dispositif": dossier.dispositif.nom[:200]
            if FINANCEUR_FONDS_VERT in cle_recherche(ligne.financeur)
            else "",
            "montant": ligne.montant,
            "statut": StatutFinancement.ACQUIS if ligne.acquis else StatutFinancement.SOLLICITE,
        }
        for ligne in dossier.financements.all()
    ]
    if permissions.peut(par, "modifier_projet", dossier.territoire):
        return actions_fiches.creer_projet(
            territoire=dossier.territoire, par=par, donnees=donnees, financements=lignes
        ), True
    projet = Projet(territoire=dossier.territoire, cree_par=None, **donnees)
    projet.save()
    LigneFinancement.objects.bulk_create(LigneFinancement(projet=projet, **ligne) for ligne in lignes)
    journaliser(
        acteur=None,
        action="projet_cree",
        objet=projet,
        details={"dossier_fonds_vert": [None, dossier.reference], "titre": [None, projet.titre]},
        motif=f"Fiche-action créée par la plateforme à partir du dossier {dossier.reference}, à la demande du "
        f"porteur {dossier.porteur_nom} ({par.email}).",
    )
    plans.noter_changement(territoire=dossier.territoire, par=None, ajoutees=[projet])
    return projet, False


@transaction.atomic
def deposer(*, dossier: Dossier, par, creer_fiche: bool = False) -> Dossier:
    """Files a draft (or re-files an incomplete dossier) once complete; the porteur and the région's instructors are
    told after the commit. With `creer_fiche`, a dossier not linked to a fiche-action gets one (see `_creer_fiche`)."""
    dossier = Dossier.objects.select_for_update().select_related("dispositif").get(pk=dossier.pk)
    permissions.exiger(par, "deposer_dossier", dossier)
    _exiger_modifiable(dossier)
    raisons = raisons_incompletude(dossier)
    if raisons:
        raise DossierIncomplet(raisons)
    redepot = dossier.statut == Statut.INCOMPLET
    fiche_creee = None
    if creer_fiche and dossier.projet_id is None:
        dossier.projet, par_le_porteur = _creer_fiche(dossier, par)
        fiche_creee = [None, f"{dossier.projet.pk} ({'par le porteur' if par_le_porteur else 'par la plateforme'})"]
    dossier.depose_le = timezone.now()
    dossier.passer(Statut.DEPOSE, par=par, motif="Dossier complété et déposé de nouveau" if redepot else "")
    journaliser(
        acteur=par,
        action="dossier_redepose" if redepot else "dossier_depose",
        objet=dossier,
        details={
            "statut": [Statut.INCOMPLET if redepot else Statut.BROUILLON, Statut.DEPOSE],
            **({"fiche_action_creee": fiche_creee} if fiche_creee else {}),
        },
    )
    differer("ti.financements.notifications.accuse_depot", dossier.pk)
    differer("ti.financements.notifications.dossier_depose_aux_instructeurs", dossier.pk)
    return dossier
