"""Import of the COG (découpage administratif) into the référentiel: all or nothing, idempotent, in bulk.

The files are read and checked first (`cog.py`); then, in one transaction, the rows are compared in memory with
those in the database and only the differences are written. Rows absent from the new files are deleted when nothing
references them, and kept (and reported) when something does: see docs/decisions/0002-referentiel-cog.md.
"""

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, models, router, transaction

from ti.core.cache import invalider

from .cog import FichiersInvalides, Referentiel, annee_du_dossier, lire, verifier
from .models import Commune, CommuneRattachee, Departement, Epci, Millesime, Region

__all__ = ["FichiersInvalides", "Bilan", "Rapport", "importer_cog"]

TAILLE_LOT = 1000


@dataclass
class Bilan:
    """What one level of the référentiel became: rows in the files, and the changes written."""

    total: int = 0
    crees: int = 0
    modifies: int = 0
    supprimes: int = 0
    conserves: list[str] = field(default_factory=list)  # absent from the files, kept because still referenced

    @property
    def change(self) -> bool:
        return bool(self.crees or self.modifies or self.supprimes)


@dataclass
class Rapport:
    annee: int
    inchange: bool = False
    duree: float = 0.0
    bilans: dict[str, Bilan] = field(default_factory=dict)
    hors_cog: dict[str, int] = field(default_factory=dict)

    @property
    def comptes(self) -> dict[str, int]:
        return {niveau: bilan.total for niveau, bilan in self.bilans.items()}


@dataclass(frozen=True)
class _Niveau:
    nom: str
    modele: type[models.Model]
    lignes: Callable[[Referentiel], dict]
    cle: Callable[[models.Model], object]
    champs: tuple[str, ...]  # compared and updated (attnames)


# In dependency order: creations and updates go down this list, deletions go up.
NIVEAUX = (
    _Niveau("regions", Region, lambda r: r.regions, lambda o: o.pk, ("nom", "chef_lieu", "zone")),
    _Niveau(
        "departements", Departement, lambda r: r.departements, lambda o: o.pk, ("nom", "region_id", "chef_lieu", "zone")
    ),
    _Niveau("epcis", Epci, lambda r: r.epcis, lambda o: o.pk, ("nom", "nature", "mode_financement", "population")),
    _Niveau(
        "communes",
        Commune,
        lambda r: r.communes,
        lambda o: o.pk,
        ("nom", "nom_recherche", "departement_id", "region_id", "epci_id", "siren", "codes_postaux", "population"),
    ),
    _Niveau(
        "rattachees",
        CommuneRattachee,
        lambda r: r.rattachees,
        lambda o: (o.code, o.type),
        ("nom", "chef_lieu_id"),
    ),
)


def importer_cog(dossier: Path, *, annee: int | None = None) -> Rapport:
    """Imports the files of `dossier` as the COG of `annee` (by default the year in the directory's name).

    Raises `FichiersInvalides` (nothing written) when the files or the request are not acceptable.
    """
    debut = time.perf_counter()
    dossier = Path(dossier)
    annee = annee or annee_du_dossier(dossier)
    if annee is None:
        raise FichiersInvalides(
            [f"Millésime inconnu : le nom du dossier « {dossier} » ne contient pas d’année ; précisez --millesime."]
        )
    contenus, empreinte = lire(dossier)
    rapport = Rapport(annee=annee)
    with transaction.atomic():
        courant = Millesime.objects.select_for_update().order_by("-annee").first()
        if courant and courant.annee > annee:
            raise FichiersInvalides(
                [f"Le référentiel est déjà au COG {courant.annee} : le COG {annee}, plus ancien, est refusé."]
            )
        if (
            courant
            and courant.annee == annee
            and courant.empreinte == empreinte
            and not courant.comptes.get("conserves")
        ):
            rapport.inchange = True
            rapport.bilans = {niveau: Bilan(total=n) for niveau, n in courant.comptes.items() if isinstance(n, int)}
            rapport.duree = time.perf_counter() - debut
            return rapport

        referentiel = verifier(contenus)
        rapport.hors_cog = referentiel.hors_cog
        absents = {}
        for niveau in NIVEAUX:
            rapport.bilans[niveau.nom], absents[niveau.nom] = _ecrire(niveau, niveau.lignes(referentiel))
        for niveau in reversed(NIVEAUX):
            _retirer_absents(niveau, absents[niveau.nom], rapport.bilans[niveau.nom])
        invalider()  # bulk writes and raw UPDATEs send no signal (ti/core/invalidation.py)

        conserves = {nom: bilan.conserves for nom, bilan in rapport.bilans.items() if bilan.conserves}
        comptes = {**rapport.comptes, **({"conserves": conserves} if conserves else {})}
        meme_millesime = courant is not None and courant.annee == annee
        rapport.inchange = meme_millesime and not any(bilan.change for bilan in rapport.bilans.values())
        if not (rapport.inchange and courant.empreinte == empreinte and courant.comptes == comptes):
            Millesime.objects.update_or_create(
                annee=annee, defaults={"source": str(dossier)[:255], "empreinte": empreinte, "comptes": comptes}
            )
    rapport.duree = time.perf_counter() - debut
    return rapport


def _ecrire(niveau: _Niveau, nouvelles: dict) -> tuple[Bilan, list[models.Model]]:
    """Creates the new rows and updates the changed ones, comparing with the database in memory.
    Returns the bilan and the rows of the database absent from `nouvelles`."""
    existantes = {niveau.cle(objet): objet for objet in niveau.modele._base_manager.all()}
    a_creer, a_modifier = [], []
    for cle, nouvelle in nouvelles.items():
        existante = existantes.pop(cle, None)
        if existante is None:
            a_creer.append(nouvelle)
        elif any(getattr(existante, champ) != getattr(nouvelle, champ) for champ in niveau.champs):
            for champ in niveau.champs:
                setattr(existante, champ, getattr(nouvelle, champ))
            a_modifier.append(existante)
    niveau.modele._base_manager.bulk_create(a_creer, batch_size=TAILLE_LOT)
    if a_modifier:
        _mettre_a_jour(niveau.modele, a_modifier, niveau.champs)
    return Bilan(total=len(nouvelles), crees=len(a_creer), modifies=len(a_modifier)), list(existantes.values())


def _mettre_a_jour(modele: type[models.Model], objets: list[models.Model], attnames: tuple[str, ...]) -> None:
    """Writes `attnames` of `objets` in a few UPDATE … FROM (VALUES …) statements.

    `bulk_update` builds a CASE WHEN per row and per field in Python: some 40 s when a new millésime changes the
    population of every commune. One UPDATE joined to a list of values does it in about a second, on PostgreSQL and
    on SQLite (3.33 and later)."""
    connexion = connections[router.db_for_write(modele)]
    champs = [modele._meta.pk, *(f for a in attnames for f in modele._meta.concrete_fields if f.attname == a)]
    if connexion.vendor not in ("postgresql", "sqlite") or (
        connexion.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33)
    ):
        modele._base_manager.bulk_update(objets, [champ.name for champ in champs[1:]], batch_size=TAILLE_LOT)
        return
    nom = connexion.ops.quote_name
    table = nom(modele._meta.db_table)
    colonnes = ", ".join(nom(champ.column) for champ in champs)
    # Values travel as untyped parameters: each one is cast to its column's type.
    valeur = {champ: f"CAST(v.{nom(champ.column)} AS {champ.cast_db_type(connexion)})" for champ in champs}
    affectations = ", ".join(f"{nom(champ.column)} = {valeur[champ]}" for champ in champs[1:])
    cle = f"{table}.{nom(champs[0].column)} = {valeur[champs[0]]}"
    taille = min(TAILLE_LOT, (connexion.features.max_query_params or TAILLE_LOT * len(champs)) // len(champs))
    ligne = "(" + ", ".join(["%s"] * len(champs)) + ")"
    with connexion.cursor() as curseur:
        for lot in _lots(objets, taille):
            parametres = [champ.get_db_prep_save(getattr(o, champ.attname), connexion) for o in lot for champ in champs]
            curseur.execute(
                f"WITH v ({colonnes}) AS (VALUES {', '.join([ligne] * len(lot))}) "
                f"UPDATE {table} SET {affectations} FROM v WHERE {cle}",
                parametres,
            )


def _retirer_absents(niveau: _Niveau, absents: list[models.Model], bilan: Bilan) -> None:
    """Deletes the rows absent from the files that nothing references any more; reports the others."""
    if not absents:
        return
    references = _references(niveau.modele, [objet.pk for objet in absents])
    a_supprimer = [objet.pk for objet in absents if objet.pk not in references]
    for lot in _lots(a_supprimer):
        niveau.modele._base_manager.filter(pk__in=lot).delete()
    bilan.supprimes = len(a_supprimer)
    bilan.conserves = sorted(str(objet) for objet in absents if objet.pk in references)


def _references(modele: type[models.Model], pks: list) -> set:
    """The pks among `pks` that any other row points to, through a foreign key or a many-to-many table, whatever
    its app: deleting them would either fail (PROTECT) or silently change another record (CASCADE)."""
    references = set()
    for relation in modele._meta.get_fields(include_hidden=True):
        # Hidden relations included: foreign keys declared with related_name="+" and the many-to-many tables' own.
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        table, champ = relation.related_model, relation.field
        for lot in _lots(pks):
            references.update(
                table._base_manager.filter(**{f"{champ.name}__in": lot}).values_list(champ.attname, flat=True)
            )
    return references


def _lots(elements: Iterable, taille: int = 500) -> Iterable[list]:
    elements = list(elements)
    for debut in range(0, len(elements), taille):
        yield elements[debut : debut + taille]
