"""The writing of a valid import of fiches-action: the fiches, their themes, financing lines and journal rows, in
bulk. Call `ecrire` inside a transaction (`ti.projets.actions.imports` does): a failure leaves nothing behind."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from ti.core.cache import invalider
from ti.core.models import Journal
from ti.projets.import_analyse import Analyse, LigneLue
from ti.projets.models import LigneFinancement, Projet

ACTION = "fiches_action_importees"  # the territory's journal row of an import


def ecrire(*, analyse: Analyse, par, motif: str = "", depot: str = "") -> list[Projet]:
    """Create the fiches of a valid analysis, their themes, financing lines and journal rows (one per fiche, and the
    territory's for the whole import, naming the deposit `depot`), in bulk.

    Call it inside a transaction: a failure anywhere leaves nothing behind. A fixed number of queries on
    PostgreSQL; on SQLite, Django splits the inserts in batches of its 999-parameter limit."""
    if not analyse.valide:
        raise ValueError("Une analyse non valide ne s’écrit pas.")
    territoire = analyse.territoire
    auteur = par if par is not None and par.is_authenticated else None
    projets = []
    for ligne in analyse.lignes:
        projet = Projet(territoire=territoire, cree_par=auteur, commune=ligne.commune, **ligne.valeurs)
        projet.texte_recherche = projet.calculer_texte_recherche()  # bulk_create does not call save()
        projets.append(projet)
    Projet.objects.bulk_create(projets)

    Projet.themes.through.objects.bulk_create(
        Projet.themes.through(projet_id=projet.pk, theme_id=code)
        for projet, ligne in zip(projets, analyse.lignes, strict=True)
        for code in ligne.themes
    )
    financements = [
        LigneFinancement(projet=projet, **financement)
        for projet, ligne in zip(projets, analyse.lignes, strict=True)
        for financement in ligne.financements
    ]
    LigneFinancement.objects.bulk_create(financements)
    invalider()  # bulk writes send no signal (ti/core/invalidation.py)

    lignes_par_projet = defaultdict(list)
    for financement in financements:
        lignes_par_projet[financement.projet_id].append(financement)
    type_projet = ContentType.objects.get_for_model(Projet)
    lignes_du_journal = [
        Journal(
            acteur=auteur,
            action="projet_cree",
            objet_type=type_projet,
            objet_id=str(projet.pk),
            objet_libelle=str(projet)[:255],
            details=_details_du_journal(projet, ligne, analyse.libelles_themes, lignes_par_projet[projet.pk]),
            motif=f"{motif} (ligne {ligne.ligne})" if motif else f"Import, ligne {ligne.ligne}",
        )
        for projet, ligne in zip(projets, analyse.lignes, strict=True)
    ]
    lignes_du_journal.append(
        Journal(
            acteur=auteur,
            action=ACTION,
            objet_type=ContentType.objects.get_for_model(territoire),
            objet_id=str(territoire.pk),
            objet_libelle=str(territoire)[:255],
            details={"fichier": analyse.fichier, "fiches-action créées": len(projets), "dépôt": depot},
            motif=motif,
        )
    )
    Journal.objects.bulk_create(lignes_du_journal)  # the chain sealed once for all of them
    return projets


def _details_du_journal(projet: Projet, ligne: LigneLue, libelles_themes: dict, financements: list) -> dict:
    """As `ti.projets.actions.fiches.creer_projet` writes them: {field: [None, value]} for what is filled."""
    details = {
        champ: [None, _pour_le_journal(valeur)]
        for champ, valeur in ligne.valeurs.items()
        if valeur not in (None, "", False)
    }
    if projet.commune is not None:
        details["commune"] = [None, str(projet.commune)]
    if ligne.themes:
        details["themes"] = [None, sorted(libelles_themes[code] for code in ligne.themes)]
    for financement in financements:
        details[f"financement.{financement.pk}"] = [
            None,
            {c: _pour_le_journal(getattr(financement, c)) for c in ("financeur", "dispositif", "montant", "statut")},
        ]
    return details


def _pour_le_journal(valeur):
    return str(valeur) if isinstance(valeur, Decimal | date) else valeur
