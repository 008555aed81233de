"""State changes on fiches-action: create, modify, archive, attach or archive a document, write a follow-up note.

Each one is a keyword-only function in one transaction that checks the right (`permissions.exiger`, a 403), the
rules (`Refus`, said in French to the user), writes one journal row with {field: [before, after]}, and, when the
fiche itself changed, bumps its `version` (the optimistic lock of the edit form) and tells the plan d'action
(`plans.noter_changement`: a change after validation starts a new version of the plan).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ti.comptes import permissions
from ti.core.antivirus import analyser_fichier
from ti.core.etats import Refus
from ti.core.models import Journal, journaliser
from ti.core.televersements import verifier_document
from ti.core.validateurs import valider_siret
from ti.projets.actions import plans
from ti.projets.models import Document, LigneFinancement, NoteSuivi, Projet
from ti.referentiel.models import Commune
from ti.territoires.models import CommuneTerritoire, Territoire

# What the edit form writes. The territory, the search text, the version and the dates of record are not typed in.
CHAMPS = (
    "titre",
    "description",
    "objectifs",
    "porteur_nom",
    "porteur_siret",
    "porteur_type",
    "referent_prenom",
    "referent_nom",
    "referent_fonction",
    "referent_email",
    "referent_telephone",
    "axe",
    "phase",
    "phase_statut",
    "commune",
    "date_debut",
    "date_fin",
    "budget",
    "emplois_crees",
    "emplois_maintenus",
    "investissement",
    "tco2e_evitees",
    "hectares",
    "partenaires",
    "public",
)
CHAMPS_M2M = Projet.LIENS
CHAMPS_LIGNE = ("financeur", "dispositif", "montant", "statut")

# Journal actions that change the fiche itself, one per version after the first.
ACTIONS_DE_VERSION = ("projet_cree", "projet_modifie", "projet_archive")


def message_hors_perimetre(commune: Commune, territoire: Territoire) -> str:
    return (
        f"La commune {commune.nom} ({commune.code}) n’est pas dans le périmètre du territoire {territoire.nom} : "
        f"choisissez une commune du territoire."
    )


def _pour_le_journal(valeur):
    """Values as JSON keeps them: amounts and dates as text, a commune by its name and code, lists sorted."""
    if isinstance(valeur, Decimal):
        return f"{valeur:.2f}"  # every amount and measure of a fiche has two decimal places
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, Model):
        return str(valeur)
    return valeur


def _ligne_pour_le_journal(ligne: LigneFinancement) -> dict:
    return {champ: _pour_le_journal(getattr(ligne, champ)) for champ in CHAMPS_LIGNE}


def _verifier_regles(territoire: Territoire, donnees: dict) -> None:
    """The rules the form checks too; an import or a script calling the action gets the same answer."""
    if donnees.get("porteur_siret"):
        try:
            valider_siret(donnees["porteur_siret"])
        except ValidationError as erreur:
            raise Refus(f"SIRET du porteur : {erreur.messages[0]}") from None
    commune = donnees.get("commune")
    if commune is not None and not CommuneTerritoire.objects.filter(territoire=territoire, commune=commune).exists():
        raise Refus(message_hors_perimetre(commune, territoire))
    debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
    if debut and fin and fin < debut:
        raise Refus("La date de fin précède la date de début.")


def _enregistrer_financements(projet: Projet, financements: list[dict]) -> dict:
    """Lines given with `id` None are added; with `supprimer`, removed (their values stay in the journal); others
    are corrected. Lines not given are left as they are. Returns {"financement.<id>": [before, after]}."""
    if not financements:
        return {}
    existantes = {ligne.pk: ligne for ligne in LigneFinancement.objects.select_for_update().filter(projet=projet)}
    changements = {}
    for donnees in financements:
        if donnees.get("id") is None:
            if donnees.get("supprimer"):
                continue
            ligne = LigneFinancement.objects.create(
                projet=projet, **{champ: donnees[champ] for champ in CHAMPS_LIGNE if champ in donnees}
            )
            changements[f"financement.{ligne.pk}"] = [None, _ligne_pour_le_journal(ligne)]
            continue
        ligne = existantes.get(donnees["id"])
        if ligne is None:
            raise Refus("Une ligne du plan de financement n’appartient pas à cette fiche : rechargez la page.")
        avant = _ligne_pour_le_journal(ligne)
        if donnees.get("supprimer"):
            ligne.delete()
            changements[f"financement.{donnees['id']}"] = [avant, None]
            continue
        modifies = [champ for champ in CHAMPS_LIGNE if champ in donnees and getattr(ligne, champ) != donnees[champ]]
        if modifies:
            for champ in modifies:
                setattr(ligne, champ, donnees[champ])
            ligne.save(update_fields=modifies)
            changements[f"financement.{ligne.pk}"] = [avant, _ligne_pour_le_journal(ligne)]
    return changements


def _libelles(objets) -> list[str]:
    return sorted(str(objet) for objet in objets)


@transaction.atomic
def creer_projet(*, territoire: Territoire, par, donnees: dict, financements: list[dict] | None = None) -> Projet:
    """A new fiche-action of `territoire`. `donnees` maps fields of `CHAMPS` and `CHAMPS_M2M` (iterables of
    records) to values; `financements` lists lines as dicts of `CHAMPS_LIGNE`. Chef de projet of the territory
    and national team only (403 otherwise)."""
    permissions.exiger(par, "modifier_projet", territoire)
    inconnus = set(donnees) - set(CHAMPS) - set(CHAMPS_M2M)
    if inconnus:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(inconnus))}")
    _verifier_regles(territoire, donnees)

    projet = Projet(territoire=territoire, cree_par=par if par.is_authenticated else None)
    for champ in CHAMPS:
        if champ in donnees:
            setattr(projet, champ, donnees[champ])
    projet.save()
    details = {
        champ: [None, _pour_le_journal(getattr(projet, champ))]
        for champ in CHAMPS
        if getattr(projet, champ) not in (None, "", False)
    }
    for champ in CHAMPS_M2M:
        objets = list(donnees.get(champ) or [])
        if objets:
            getattr(projet, champ).set(objets)
            details[champ] = [None, _libelles(objets)]
    details.update(_enregistrer_financements(projet, [{**ligne, "id": None} for ligne in financements or []]))
    journaliser(acteur=par, action="projet_cree", objet=projet, details=details)
    plans.noter_changement(territoire=territoire, par=par, ajoutees=[projet])
    return projet


def auteur_de_la_derniere_version(projet: Projet) -> str:
    entree = (
        Journal.objects.filter(
            objet_type__app_label="projets",
            objet_type__model="projet",
            objet_id=str(projet.pk),
            action__in=ACTIONS_DE_VERSION,
        )
        .select_related("acteur")
        .order_by("-quand", "-pk")
        .first()
    )
    if entree is None or entree.acteur is None:
        return "une autre personne"
    return str(entree.acteur)


@transaction.atomic
def modifier_projet(
    *, projet: Projet, par, donnees: dict, version: int, financements: list[dict] | None = None, motif: str = ""
) -> dict:
    """Write what changed in the fiche, its themes, compétences, leviers and financing lines.

    `version` is the one the user's form was built on: if the fiche changed since, nothing is written and `Refus`
    names who changed it. Returns the changes {key: [before, after]} (financing lines under "financement.<id>"),
    also written as one journal row; nothing, and no new version, when nothing changed."""
    permissions.exiger(par, "modifier_projet", projet)
    inconnus = set(donnees) - set(CHAMPS) - set(CHAMPS_M2M)
    if inconnus:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(inconnus))}")
    # Lock the row: concurrent editors are served one after the other, and the second one sees the new version.
    projet = Projet.objects.select_for_update(of=("self",)).select_related("territoire", "commune").get(pk=projet.pk)
    if projet.archive_le is not None:
        raise Refus("Cette fiche est archivée : elle ne se modifie plus.")
    if projet.version != version:
        raise Refus(
            f"Cette fiche a été modifiée entre-temps par {auteur_de_la_derniere_version(projet)} ; rechargez la page."
        )
    _verifier_regles(projet.territoire, donnees)

    changements = {}
    for champ in CHAMPS:
        if champ not in donnees:
            continue
        avant, apres = getattr(projet, champ), donnees[champ]
        if avant != apres:
            changements[champ] = [_pour_le_journal(avant), _pour_le_journal(apres)]
            setattr(projet, champ, apres)
    liens = projet.liens() if any(champ in donnees for champ in CHAMPS_M2M) else {}
    for champ in CHAMPS_M2M:
        if champ not in donnees:
            continue
        apres = list(donnees[champ] or [])
        if liens[champ] != {str(objet.pk) for objet in apres}:
            relation = getattr(projet, champ)
            avant = list(relation.all())  # their names, for the journal
            relation.set(apres)
            changements[champ] = [_libelles(avant), _libelles(apres)]
    changements.update(_enregistrer_financements(projet, financements or []))

    if changements:
        projet.version += 1
        projet.save()
        journaliser(acteur=par, action="projet_modifie", objet=projet, details=changements, motif=motif)
        plans.noter_changement(territoire=projet.territoire, par=par, memes_fiches=True)
    return changements


@transaction.atomic
def archiver_projet(*, projet: Projet, par, motif: str) -> Projet:
    """Take the fiche out of the lists and of the next plan; it stays in the history and in earlier plan versions."""
    permissions.exiger(par, "modifier_projet", projet)
    if not motif.strip():
        raise Refus("Indiquez le motif de l’archivage.")
    projet = Projet.objects.select_for_update(of=("self",)).select_related("territoire").get(pk=projet.pk)
    if projet.archive_le is not None:
        raise Refus("Cette fiche est déjà archivée.")
    projet.archive_le = timezone.now()
    projet.version += 1
    projet.save(update_fields=["archive_le", "version", "modifie_le"])
    journaliser(
        acteur=par,
        action="projet_archive",
        objet=projet,
        details={"archive_le": [None, projet.archive_le.isoformat()]},
        motif=motif.strip(),
    )
    plans.noter_changement(territoire=projet.territoire, par=par)
    return projet


@transaction.atomic
def deposer_document(*, projet: Projet, par, fichier) -> Document:
    """Attach a file to the fiche (size, type and content checked). A document is supporting material, not the
    fiche's content: it neither bumps the version nor starts a new plan version."""
    permissions.exiger(par, "modifier_projet", projet)
    if projet.archive_le is not None:
        raise Refus("Cette fiche est archivée : on n’y dépose plus de document.")
    type_mime = verifier_document(fichier)
    nom = fichier.name.rsplit("/", 1)[-1][:255]
    document = Document.objects.create(
        projet=projet, fichier=fichier, nom=nom, type_mime=type_mime, taille=fichier.size, depose_par=par
    )
    analyser_fichier(document)
    journaliser(acteur=par, action="document_depose", objet=projet, details={"document": [None, nom]})
    return document


@transaction.atomic
def archiver_document(*, document: Document, par) -> Document:
    """Take a document off the fiche; the file and its record are kept."""
    permissions.exiger(par, "modifier_projet", document.projet)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.archive_le is not None:
        raise Refus("Ce document est déjà retiré de la fiche.")
    document.archive_le = timezone.now()
    document.save(update_fields=["archive_le"])
    journaliser(
        acteur=par, action="document_archive", objet=document.projet, details={"document": [document.nom, None]}
    )
    return document


@transaction.atomic
def ajouter_note(*, projet: Projet, par, texte: str) -> NoteSuivi:
    """A note in the fiche's private follow-up journal: whoever may read it may write in it (the territory's team,
    the région's roles, the national team)."""
    permissions.exiger(par, "voir_suivi_projets", projet)
    texte = texte.strip()
    if not texte:
        raise Refus("La note est vide.")
    note = NoteSuivi.objects.create(projet=projet, auteur=par, texte=texte)
    journaliser(acteur=par, action="note_ajoutee", objet=projet, details={"note": [None, texte]})
    return note
