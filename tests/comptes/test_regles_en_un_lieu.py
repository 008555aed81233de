"""One place per rule: outside the permission layer (ti/comptes/permissions/), no module of ti/ names a role to decide
who may see or do something. The modules below name roles for another reason, each said in one line; a new module
that names a role fails here: ask the permission layer (`permissions.peut`, a named function) instead."""

import re
from pathlib import Path

import ti

RACINE = Path(ti.__file__).parent
# A member of `Role`, or the kinds of scope (regional, territorial) that the permission layer reads.
MENTION_D_UN_ROLE = re.compile(r"\bRole\.[A-Z][A-Z_]+\b|\bROLES_(?:REGIONAUX|TERRITORIAUX)\b")

AUTORISES = {
    # Where roles are defined and their scope is checked.
    "comptes/models.py": "defines the roles and the shape of each one's scope (région, territory, SIRET)",
    "comptes/forms.py": "the choice list of roles and the scope fields each role requires",
    # Where habilitations are created or their holders listed.
    "comptes/actions.py": "grants and withdraws habilitations (a chef de projet's grant updates the territory)",
    "comptes/inscription.py": "creates the porteur habilitation of a self-registered applicant",
    "comptes/views_inscription.py": "lists the user's own SIRETs (« Mes entreprises »), his porteur habilitations",
    "comptes/demo.py": "demonstration data: one account per role",
    "comptes/donnees_personnelles.py": "the personal data export: the SIRETs whose dossiers are his (decision 0053)",
    "territoires/actions.py": "the territory's chef de projet status follows its chef de projet habilitations",
    "territoires/gouvernance.py": "who holds the binôme and chef de projet roles of a territory (data, not access)",
    "ingenierie/forms.py": "the choice list of consultants to name on a mission",
    "animation/selectors_chiffres.py": "the network's figures count the people of the regional and territorial roles",
    "espace/navigation.py": "the menu's « Mon territoire » and « Ma région » links, from the kinds of scope",
    # Notifications: who is told of an event, not who may act.
    "financements/notifications.py": "who is told: the région's instructors, those asked for an opinion",
    "foncier/notifications.py": "who is told of an investor's request: chefs de projet and the région's referent",
    "ingenierie/notifications.py": "who is told of a request or a mission's step",
    "projets/actions/plans.py": "who is told of a plan's transition (its notification job)",
}


def _modules_qui_nomment_un_role() -> set[str]:
    trouves = set()
    for chemin in RACINE.rglob("*.py"):
        relatif = chemin.relative_to(RACINE).as_posix()
        if relatif.startswith("comptes/permissions/") or "/migrations/" in relatif:
            continue
        if MENTION_D_UN_ROLE.search(chemin.read_text(encoding="utf-8")):
            trouves.add(relatif)
    return trouves


def test_aucun_module_hors_de_la_couche_de_permission_ne_decide_sur_un_role():
    nouveaux = _modules_qui_nomment_un_role() - set(AUTORISES)
    assert not nouveaux, f"Ces modules nomment un rôle : passez par ti/comptes/permissions/ ({sorted(nouveaux)})."


def test_la_liste_des_exceptions_reste_a_jour():
    """An exception whose module no longer names a role is removed from the list, so that it does not come back."""
    perimees = set(AUTORISES) - _modules_qui_nomment_un_role()
    assert not perimees, f"Ces modules ne nomment plus de rôle : retirez-les de AUTORISES ({sorted(perimees)})."
