"""The core is shared by every app and knows none of them: a domain app importing the core is fine, the reverse
would tie every app to every other (the demo loader lives in ti/demo for that reason)."""

import ast
from pathlib import Path

import ti

SOCLE = Path(ti.__file__).parent / "core"


def _modules_importes(fichier: Path) -> set[str]:
    arbre = ast.parse(fichier.read_text(encoding="utf-8"))
    importes = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.ImportFrom) and noeud.module:
            importes.add(noeud.module)
        elif isinstance(noeud, ast.Import):
            importes.update(alias.name for alias in noeud.names)
    return importes


def test_le_socle_n_importe_aucune_application_du_domaine():
    fautes = {
        f"{fichier.relative_to(SOCLE.parent)} importe {module}"
        for fichier in SOCLE.rglob("*.py")
        for module in _modules_importes(fichier)
        if module.startswith("ti.") and not module.startswith("ti.core")
    }
    assert fautes == set()


def test_le_controle_voit_un_import_du_domaine(tmp_path):
    fichier = tmp_path / "exemple.py"
    fichier.write_text("from ti.projets.models import Projet\nimport ti.core.etats\n", encoding="utf-8")
    assert _modules_importes(fichier) == {"ti.projets.models", "ti.core.etats"}
