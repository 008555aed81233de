"""Runs mutmut on the permission layer, the state machines and the money rules (`make mutation`, decision 0067).

Two additions to mutmut 3:
- the functions decorated with `@transaction.atomic` only are mutated too. mutmut leaves every decorated function
  alone (a decorator runs at import, a mutated `@property` or route would break it), which would leave out every
  action of this project: they are all atomic. Nested `atomic` is harmless, so the copies mutmut makes of such a
  function keep the decorator and its trampoline works as for a plain one;
- `run` without names runs the mutants of FAMILLES only (whole files would mostly mutate messages and helpers), and
  `bilan` prints the killed / survived / timeout / untested counts of each family from mutants/.

Usage: `python -m tests.mutation run`, `python -m tests.mutation bilan`, or any mutmut command (`results`, `show`).
"""

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

import libcst as cst
import libcst.matchers as m
from libcst.metadata import PositionProvider
from mutmut.mutation import file_mutation

# Mutant names are `module.x_function__mutmut_N` or `module.xǁClassǁmethod__mutmut_N`. The files are listed in
# pyproject.toml ([tool.mutmut] only_mutate); when the permission layer becomes a package, its glob still holds.
FAMILLES = {
    "permissions": ["ti.comptes.permissions.*"],
    "Machine (ti/core/etats.py)": ["ti.core.etats.*"],
    "transitions dossier et plan": [
        "ti.financements.models.xǁDossierǁpasser__*",
        "ti.financements.actions.instruction.x__peut_passer__*",  # before the dossier went onto `Machine`
        "ti.projets.actions.plans.x__verifier_transition__*",
        "ti.projets.actions.plans.x__passer__*",
    ],
    "règles d’argent": [
        "ti.financements.actions.instruction.x__liberer__*",
        "ti.financements.actions.instruction.x__exiger_date__*",
        "ti.financements.actions.instruction.x_proposer__*",
        "ti.financements.actions.instruction.x_decider__*",
        "ti.financements.actions.instruction.x_engager__*",
        "ti.financements.actions.instruction.x_enregistrer_versement__*",
        "ti.financements.actions.enveloppes.x_fixer_enveloppe__*",
        "ti.financements.actions.enveloppes.x_repartir_enveloppes__*",
        "ti.financements.actions.enveloppes.x_transferer_credits__*",
        "ti.ingenierie.actions_budget.*",
        "ti.ingenierie.actions.x__verifier_budget__*",  # the budget check before it had its own module
    ],
}
STATUTS = {1: "tués", 3: "tués", 0: "survivants", 36: "délai", 24: "délai", -24: "délai", 152: "délai", 255: "délai"}
STATUTS.update({5: "sans test", 33: "sans test"})

ATOMIQUE = m.Name("atomic") | m.Attribute(value=m.Name("transaction"), attr=m.Name("atomic"))
_sauter_avant = file_mutation.MutationVisitor._skip_node_and_children


def _sauter(self, node: cst.CSTNode) -> bool:
    decorateurs = node.decorators if isinstance(node, cst.FunctionDef) else ()
    if decorateurs and all(m.matches(d.decorator, ATOMIQUE) for d in decorateurs):
        position = self.get_metadata(PositionProvider, node, None)
        if position and position.start.line in self._ignored_node_lines:
            self.ignored_functions.add(node.name.value)
            return True
        return node.name.value in file_mutation.NEVER_MUTATE_FUNCTION_NAMES
    return _sauter_avant(self, node)


file_mutation.MutationVisitor._skip_node_and_children = _sauter


def famille(nom: str) -> str | None:
    return next((f for f, motifs in FAMILLES.items() if any(fnmatch.fnmatchcase(nom, x) for x in motifs)), None)


def bilan() -> None:
    """One line per family: the mutants in mutants/ by outcome, and the score (killed or timed out / checked)."""
    comptes = {f: Counter() for f in FAMILLES}
    for meta in Path("mutants").rglob("*.py.meta"):
        for nom, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if (f := famille(nom)) is not None:
                comptes[f]["non vérifiés" if code is None else STATUTS.get(code, "autres")] += 1
    colonnes = ["tués", "survivants", "délai", "sans test", "autres", "non vérifiés"]
    print(f"{'famille':32}" + "".join(f"{c:>13}" for c in colonnes) + f"{'vérifiés':>9}{'score':>8}")
    for f, compte in comptes.items():
        total = sum(compte.values()) - compte["non vérifiés"]
        score = f"{100 * (compte['tués'] + compte['délai']) / total:.0f} %" if total else "-"
        print(f"{f:32}" + "".join(f"{compte[c]:>13}" for c in colonnes) + f"{total:>8}{score:>8}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["bilan"]:
        sys.exit(bilan())
    from mutmut.__main__ import cli

    if sys.argv[1:2] == ["run"] and not [a for a in sys.argv[2:] if not a.startswith("-") and not a.isdigit()]:
        sys.argv += [motif for motifs in FAMILLES.values() for motif in motifs]
    sys.argv[0] = "mutmut"
    # pytest imports the tests from the copy under mutants/, not from this package.
    sys.modules.pop("tests", None)
    sys.exit(cli())
