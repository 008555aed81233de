"""One way for every workflow to say no and to change a record's state: dossiers, plans, engineering requests and
missions, events, sites, investors' requests — and those to come.

`Refus` is the one exception an action raises when a business rule says no: its French message is shown to the user
as is. `Machine` declares a workflow once: its state field, its labels, which state may follow which — either as a
table, or as named steps (`Pas`) from which the table is derived, when a view offers the steps by name (the dossier's
« ouvrir », « décider »…). `passer` checks the step, writes it, its log row (a workflow's own table, e.g. the
dossier's timeline, or the chained journal, ti/core/chaine.py), so a view lists the possible steps with `suivants` or
`pas_possibles`, and synthetic data walks `chemin`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models

from ti.core.models import journaliser


class Refus(Exception):
    """A business rule said no; the message is French and shown to the user as is."""


@dataclass(frozen=True)
class Pas:
    """A named step of a workflow: from any of `depuis` to one of `vers`."""

    depuis: frozenset[str]
    vers: frozenset[str]

    def __init__(self, depuis, vers):
        object.__setattr__(self, "depuis", frozenset(depuis))
        object.__setattr__(self, "vers", frozenset(vers))


@dataclass(frozen=True)
class Machine:
    champ: str  # the model field holding the state
    etats: type[models.TextChoices]
    transitions: Mapping[str, set[str]] = field(default_factory=dict)  # from → the states it may go to
    # The journal's name for a step (« foncier.statut_site »); None when the workflow keeps its own log table
    # (`historique`) and each action writes its own journal row with the step's details.
    action: str | None = None
    nom: str = "cet objet"  # for the refusal: « Un site », « Une demande »
    pas: Mapping[str, Pas] = field(default_factory=dict)  # named steps; the table is derived from them when given
    historique: str | None = None  # the related name of the workflow's own log table (from, to, by, reason)
    version: str | None = None  # a counter bumped at each step: the forms' stale check
    # A clearer refusal for a known step, keyed (from, to), or (from, None) for any step from that state;
    # formatted with the record as `objet`.
    refus: Mapping[tuple[str, str | None], str] = field(default_factory=dict)

    def __post_init__(self):
        if self.pas:
            table: dict[str, set[str]] = {etat: set() for etat in self.etats}
            for pas in self.pas.values():
                for depuis in pas.depuis:
                    table.setdefault(depuis, set()).update(pas.vers)
            object.__setattr__(self, "transitions", table)
        inconnus = {*self.transitions, *(v for vers in self.transitions.values() for v in vers)} - set(self.etats)
        if inconnus:
            raise ValueError(f"États inconnus dans la machine de {self.nom} : {sorted(inconnus)}")

    def suivants(self, objet) -> list[models.TextChoices]:
        """The states `objet` may go to next, in the order of the labels."""
        possibles = self.transitions.get(getattr(objet, self.champ), set())
        return [etat for etat in self.etats if etat in possibles]

    def pas_possibles(self, objet) -> list[str]:
        """The names of the steps `objet` may take now, in their declared order."""
        etat = getattr(objet, self.champ)
        return [nom for nom, pas in self.pas.items() if etat in pas.depuis]

    def chemin(self, depart: str, arrivee: str) -> list[models.TextChoices]:
        """The shortest sequence of states leading from `depart` to `arrivee` (without `depart`), or ValueError."""
        precedent: dict[str, str | None] = {depart: None}
        a_voir = [depart]
        while a_voir and arrivee not in precedent:
            suivant = []
            for etat in a_voir:
                for vers in sorted(self.transitions.get(etat, ())):
                    if vers not in precedent:
                        precedent[vers] = etat
                        suivant.append(vers)
            a_voir = suivant
        if arrivee not in precedent:
            raise ValueError(f"Aucun chemin de « {depart} » à « {arrivee} ».")
        etapes = []
        etat = arrivee
        while etat != depart:
            etapes.append(self.etats(etat))
            etat = precedent[etat]
        return etapes[::-1]

    def verifier(self, objet, vers: str) -> None:
        """Raises `Refus` unless `objet` may go to `vers` now. Actions call it first, so that the user reads the real
        reason before any other check."""
        de = self.etats(getattr(objet, self.champ))
        vers = self.etats(vers)
        if vers in self.transitions.get(de, set()):
            return
        message = self.refus.get((de, vers)) or self.refus.get((de, None))
        if message:
            raise Refus(message.format(objet=objet))
        raise Refus(f"{self.nom} « {de.label.lower()} » ne peut pas passer à « {vers.label.lower()} ».")

    def passer(
        self, objet, vers: str, *, par, motif: str = "", autres_champs: tuple[str, ...] | None = ()
    ) -> models.Model | None:
        """Moves `objet` (locked by the caller's select_for_update) to `vers`, or raises `Refus`. Call it inside the
        action's transaction, after the permission check. `autres_champs`: the fields the action changed with the
        step, saved with it; None saves the whole row. Returns the log row, when the workflow has its own table."""
        self.verifier(objet, vers)
        de = self.etats(getattr(objet, self.champ))
        vers = self.etats(vers)
        setattr(objet, self.champ, vers)
        champs = [self.champ]
        if self.version:
            setattr(objet, self.version, getattr(objet, self.version) + 1)
            champs.append(self.version)
        objet.save(update_fields=None if autres_champs is None else [*champs, *autres_champs])
        if self.action:
            journaliser(acteur=par, action=self.action, objet=objet, details={"de": de, "vers": vers}, motif=motif)
        if self.historique:
            return getattr(objet, self.historique).create(de=de, vers=vers, par=par, motif=motif)
        return None
