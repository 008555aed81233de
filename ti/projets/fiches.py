"""What the fiche-action pages read: a fiche with everything it shows, its financing totals, its history in words.

Every function here answers in a fixed number of queries, whatever the number of lines, documents or notes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, QuerySet

from ti.core.formats import euros, valeur_lisible
from ti.core.models import historique_en_mots
from ti.projets.actions.fiches import CHAMPS, CHAMPS_M2M
from ti.projets.models import Document, LigneFinancement, NoteSuivi, Projet, StatutFinancement

HISTORIQUE_MAX = 50
NOTES_MAX = 200


def fiche_complete(projets: QuerySet) -> QuerySet:
    """Fiches with everything their page shows, in 7 queries whatever their size."""
    return projets.select_related("territoire", "commune__departement", "cree_par").prefetch_related(
        "themes",
        "competences",
        "leviers",
        Prefetch("financements", queryset=LigneFinancement.objects.order_by("pk")),
        Prefetch(
            "documents",
            queryset=Document.objects.filter(archive_le__isnull=True).select_related("depose_par"),
            to_attr="documents_actifs",
        ),
    )


def notes_de_suivi(projet: Projet) -> list[NoteSuivi]:
    return list(NoteSuivi.objects.filter(projet=projet).select_related("auteur")[:NOTES_MAX])


@dataclass(frozen=True)
class TotauxFinancement:
    """The financing plan against the budget. Refused lines count in neither total."""

    budget: Decimal | None
    sollicite_et_acquis: Decimal
    acquis: Decimal

    @property
    def sollicite(self) -> Decimal:
        return self.sollicite_et_acquis - self.acquis

    @property
    def reste_a_financer(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget - self.sollicite_et_acquis

    @property
    def depasse_le_budget(self) -> bool:
        return self.budget is not None and self.sollicite_et_acquis > self.budget

    @property
    def avertissement(self) -> str:
        if not self.depasse_le_budget:
            return ""
        return (
            f"Le plan de financement ({euros(self.sollicite_et_acquis)} sollicités ou acquis) dépasse le budget de "
            f"la fiche ({euros(self.budget)}) de {euros(self.sollicite_et_acquis - self.budget)}."
        )


def totaux_financement(lignes: Iterable[tuple[Decimal | None, str]], budget: Decimal | None) -> TotauxFinancement:
    """`lignes` as (montant, statut) pairs; a line without an amount counts for nothing."""
    sollicite_et_acquis = acquis = Decimal("0")
    for montant, statut in lignes:
        if montant is None or statut == StatutFinancement.REFUSE:
            continue
        sollicite_et_acquis += montant
        if statut == StatutFinancement.ACQUIS:
            acquis += montant
    return TotauxFinancement(budget=budget, sollicite_et_acquis=sollicite_et_acquis, acquis=acquis)


def totaux_du_projet(projet: Projet) -> TotauxFinancement:
    """From the prefetched lines of `fiche_complete`."""
    return totaux_financement(((ligne.montant, ligne.statut) for ligne in projet.financements.all()), projet.budget)


# The history of a fiche, in words.

LIBELLES_DES_ACTIONS = {
    "projet_cree": "Fiche créée",
    "projet_modifie": "Fiche modifiée",
    "projet_archive": "Fiche archivée",
    "document_depose": "Document déposé",
    "document_archive": "Document retiré",
    "note_ajoutee": "Note de suivi ajoutée",
}
_MONTANTS = {"budget", "investissement"}
_LIBELLES_HORS_CHAMPS = {"document": "Document", "note": "Note", "archive_le": "Archivée le"}


def _libelle_du_champ(cle: str) -> str:
    if cle in _LIBELLES_HORS_CHAMPS:
        return _LIBELLES_HORS_CHAMPS[cle]
    try:
        return str(Projet._meta.get_field(cle).verbose_name).capitalize()
    except FieldDoesNotExist:
        return cle.replace("_", " ").capitalize()


def _valeur_lisible(cle: str, valeur) -> str:
    if valeur in (None, "", []):
        return "(vide)"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, list):
        return ", ".join(str(v) for v in valeur)
    if cle in _MONTANTS:
        return euros(valeur)
    if cle in CHAMPS:
        champ = Projet._meta.get_field(cle)
        if champ.choices:
            return str(dict(champ.flatchoices).get(valeur, valeur))
    return valeur_lisible(valeur)


def ligne_lisible(ligne: dict | None) -> str:
    if not ligne:
        return "(aucune)"
    statut = dict(StatutFinancement.choices).get(ligne.get("statut"), ligne.get("statut"))
    dispositif = f" — {ligne['dispositif']}" if ligne.get("dispositif") else ""
    return f"{ligne.get('financeur')}{dispositif} : {euros(ligne.get('montant'))} ({str(statut).lower()})"


def _lignes(details: dict) -> list[str]:
    lignes = []
    for cle, valeur in details.items():
        if not (isinstance(valeur, list) and len(valeur) == 2):
            lignes.append(f"{_libelle_du_champ(cle)} : {valeur_lisible(valeur)}")
            continue
        avant, apres = valeur
        if cle.startswith("financement."):
            if avant is None:
                lignes.append(f"Plan de financement : ligne ajoutée « {ligne_lisible(apres)} »")
            elif apres is None:
                lignes.append(f"Plan de financement : ligne supprimée « {ligne_lisible(avant)} »")
            else:
                lignes.append(f"Plan de financement : « {ligne_lisible(avant)} » devient « {ligne_lisible(apres)} »")
        elif cle in ("document", "note"):
            lignes.append(f"{_libelle_du_champ(cle)} : {apres if apres is not None else avant}")
        elif avant in (None, "", []) and cle in (*CHAMPS, *CHAMPS_M2M):
            lignes.append(f"{_libelle_du_champ(cle)} : « {_valeur_lisible(cle, apres)} »")
        elif cle == "archive_le":
            continue
        else:
            libelle, avant, apres = _libelle_du_champ(cle), _valeur_lisible(cle, avant), _valeur_lisible(cle, apres)
            lignes.append(f"{libelle} : « {avant} » devient « {apres} »")
    return lignes


def historique_lisible(projet: Projet) -> list[dict]:
    """The fiche's last journal rows, each with its action and its details in words (one query)."""
    return historique_en_mots(projet, libelles=LIBELLES_DES_ACTIONS, lignes=_lignes, nombre=HISTORIQUE_MAX)
