"""One way for every workflow to say no and to change a record's state (dossiers and plans keep their own log table;
new workflows — sites, investors' requests, and those to come — use this one).

`Refus` is the one exception an action raises when a business rule says no: its French message is shown to the user
as is. `Machine` declares a workflow once (its state field, its labels, which state may follow which); `passer`
checks the step, writes it and its journal row (chained, ti/core/chaine.py), so the history of a record is
`ti.core.models.historique(record)` and a view lists the possible steps with `suivants`.
"""

from dataclasses import dataclass

from django.db import models

from ti.core.models import journaliser


class Refus(Exception):
    """A business rule said no; the message is French and shown to the user as is."""


@dataclass(frozen=True)
class Machine:
    champ: str  # the model field holding the state
    etats: type[models.TextChoices]
    transitions: dict[str, set[str]]  # from → the states it may go to
    action: str  # the journal's name for a step, e.g. « foncier.statut_site »
    nom: str = "cet objet"  # for the refusal: « Un site », « Une demande »

    def suivants(self, objet) -> list[models.TextChoices]:
        """The states `objet` may go to next, in the order of the labels."""
        possibles = self.transitions.get(getattr(objet, self.champ), set())
        return [etat for etat in self.etats if etat in possibles]

    def passer(self, objet, vers: str, *, par, motif: str = "", autres_champs: tuple[str, ...] = ()) -> None:
        """Moves `objet` (locked by the caller's select_for_update) to `vers`, or raises `Refus`. Call it inside the
        action's transaction, after the permission check."""
        de = self.etats(getattr(objet, self.champ))
        vers = self.etats(vers)
        if vers not in self.transitions.get(de, set()):
            raise Refus(f"{self.nom} « {de.label.lower()} » ne peut pas passer à « {vers.label.lower()} ».")
        setattr(objet, self.champ, vers)
        objet.save(update_fields=[self.champ, *autres_champs])
        journaliser(acteur=par, action=self.action, objet=objet, details={"de": de, "vers": vers}, motif=motif)
