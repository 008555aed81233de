"""The tamper-evident chain of the journal and of every state machine's transition log.

Each row of a chained table carries its rank in the chain, the digest of the row before it and its own digest:
sha256(previous digest + the row's content). Editing, inserting or deleting a row in SQL breaks the chain at that
row, and `manage.py verifier_journal` names it. A daily anchor (`manage.py ancrer_journal`) writes the last digest
of each chain to a file the operator keeps apart: a chain recomputed from scratch after tampering no longer matches
its anchors.

Rows are sealed as they are inserted, by `save()` and `bulk_create()` alike (see `ChaineManager`), so no action
has anything to do. Concurrent writers are serialised per chain by a transaction-level advisory lock on PostgreSQL;
SQLite serialises writers itself (immediate transactions), and the unique rank refuses a fork in any case.
"""

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

GENESE = "0" * 64


class ChaineQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            sceller(self.model, objs)
            return super().bulk_create(objs, *args, **kwargs)


class ChaineManager(models.Manager.from_queryset(ChaineQuerySet)):
    pass


class Chaine(models.Model):
    """An append-only table whose rows are chained by digests. New fields of a chained table must be nullable or
    default to an empty value: empty values are left out of the digest, so older rows keep theirs."""

    rang = models.PositiveBigIntegerField("rang dans la chaîne", null=True, blank=True, unique=True, editable=False)
    precedent = models.CharField("empreinte précédente", max_length=64, blank=True, editable=False)
    empreinte = models.CharField(max_length=64, blank=True, editable=False)

    objects = ChaineManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding and self.rang is None:
            with transaction.atomic(using=kwargs.get("using"), savepoint=False):
                sceller(type(self), [self])
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)


def modeles_chaines() -> list[type[Chaine]]:
    return [m for m in apps.get_models() if issubclass(m, Chaine)]


def _valeur(valeur):
    if isinstance(valeur, datetime):
        return valeur.astimezone(UTC).isoformat()
    if isinstance(valeur, date | Decimal):
        return str(valeur)
    return valeur


def contenu(objet: Chaine) -> str:
    """The row as canonical JSON: its fields but the id and the digests, empty values left out."""
    champs = {}
    for champ in objet._meta.concrete_fields:
        if champ.attname in {"id", "precedent", "empreinte"}:
            continue
        valeur = champ.value_from_object(objet)
        if valeur is None or valeur == "" or valeur == {} or valeur == []:
            continue
        champs[champ.attname] = _valeur(valeur)
    return json.dumps(champs, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def empreinte(precedent: str, objet: Chaine) -> str:
    return hashlib.sha256((precedent + contenu(objet)).encode()).hexdigest()


def _verrouiller(modele: type[Chaine]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"chaine:{modele._meta.db_table}"])


def dernier_maillon(modele: type[Chaine]) -> tuple[int, str]:
    dernier = modele._base_manager.filter(rang__isnull=False).order_by("-rang").values_list("rang", "empreinte")
    return dernier.first() or (0, GENESE)


def sceller(modele: type[Chaine], objets: list[Chaine]) -> None:
    """Gives each new row its rank and digests, after the last row of its chain. Call it inside a transaction."""
    if not objets:
        return
    _verrouiller(modele)
    rang, precedent = dernier_maillon(modele)
    maintenant = timezone.now()
    for objet in objets:
        if getattr(objet, "quand", False) is None:
            objet.quand = maintenant
        rang += 1
        objet.rang = rang
        objet.precedent = precedent
        objet.empreinte = precedent = empreinte(precedent, objet)


class Rupture(Exception):
    """The first row where a chain no longer holds, in words an operator can act on."""


def verifier(modele: type[Chaine]) -> int:
    """Walks the chain in rank order; returns its length or raises `Rupture` at the first broken row."""
    nom = modele._meta.verbose_name_plural
    sans_rang = modele._base_manager.filter(rang__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    if sans_rang is not None:
        raise Rupture(f"{nom} : la ligne {sans_rang} n’est pas scellée (insérée hors de l’application).")
    attendu, precedent = 1, GENESE
    for objet in modele._base_manager.order_by("rang").iterator(chunk_size=2000):
        if objet.rang != attendu:
            raise Rupture(
                f"{nom} : la ligne {objet.pk} porte le rang {objet.rang} au lieu de {attendu} "
                f"(une ou plusieurs lignes ont été supprimées ou insérées)."
            )
        if objet.precedent != precedent:
            raise Rupture(f"{nom} : la ligne {objet.pk} (rang {objet.rang}) ne suit plus la ligne qui la précède.")
        if objet.empreinte != empreinte(precedent, objet):
            raise Rupture(f"{nom} : la ligne {objet.pk} (rang {objet.rang}) a été modifiée après son écriture.")
        attendu, precedent = attendu + 1, objet.empreinte
    return attendu - 1


def verifier_ancre(ancre: dict) -> None:
    """An anchor written by `ancrer_journal` still matches its row: the chain was not rewritten since that day."""
    modele = apps.get_model(ancre["chaine"])
    if ancre["rang"] == 0:
        return
    actuelle = modele._base_manager.filter(rang=ancre["rang"]).values_list("empreinte", flat=True).first()
    if actuelle != ancre["empreinte"]:
        raise Rupture(
            f"{modele._meta.verbose_name_plural} : l’ancre du {ancre['date']} (rang {ancre['rang']}) ne correspond "
            f"plus à la chaîne : elle a été réécrite depuis."
        )


def ancrer(fichier: Path | None = None) -> list[dict]:
    """Appends today's anchor of each chain to the anchors file; run daily by the job queue's scheduler (migration
    core 0003) and by `manage.py ancrer_journal`."""
    fichier = Path(fichier or settings.ANCRES_JOURNAL)
    jour = timezone.localdate()
    ancres = [
        {"date": jour.isoformat(), "chaine": modele._meta.label, "rang": rang, "empreinte": valeur}
        for modele in modeles_chaines()
        for rang, valeur in [dernier_maillon(modele)]
    ]
    fichier.parent.mkdir(parents=True, exist_ok=True)
    with fichier.open("a", encoding="utf-8") as sortie:
        for ancre in ancres:
            sortie.write(json.dumps(ancre, ensure_ascii=False) + "\n")
    return ancres


def sceller_existant(modele) -> None:
    """Seals, in the order they were written, the rows a table held before it was chained (used by migrations,
    with their historical models)."""
    rang, precedent = dernier_maillon(modele)
    lot = []
    for objet in modele._base_manager.filter(rang__isnull=True).order_by("quand", "pk").iterator(chunk_size=2000):
        rang += 1
        objet.rang, objet.precedent = rang, precedent
        objet.empreinte = precedent = empreinte(precedent, objet)
        lot.append(objet)
        if len(lot) == 2000:
            modele._base_manager.bulk_update(lot, ["rang", "precedent", "empreinte"])
            lot = []
    modele._base_manager.bulk_update(lot, ["rang", "precedent", "empreinte"])
