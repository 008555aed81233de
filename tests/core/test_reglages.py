"""Settings come from the environment; with production values, Django's deployment checks are all green."""

import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7$Qe9!vZ2#mT4pL8^wR1&yN6*uB3@hF5(oJ0)sD-gX+cV_aE=iK~",
    "ALLOWED_HOSTS": "territoires-industrie.example",
    "DATABASE_URL": "postgres://ti@127.0.0.1:5432/ti",
    "EMAIL_HOST": "smtp.example",
}


def _manage(*arguments, **variables):
    ecartees = {*PRODUCTION, "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environnement = {k: v for k, v in os.environ.items() if k not in ecartees}
    environnement.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=RACINE, env=environnement, capture_output=True, text=True
    )


def test_check_deploy_sans_avertissement_avec_les_valeurs_de_production():
    resultat = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert resultat.returncode == 0, resultat.stderr
    assert "System check identified no issues" in resultat.stdout


def test_sans_cle_secrete_hors_debug_le_demarrage_est_refuse():
    variables = {**PRODUCTION, "SECRET_KEY": ""}
    resultat = _manage("check", **variables)
    assert resultat.returncode != 0
    assert "SECRET_KEY doit être défini" in resultat.stderr


def test_en_developpement_tout_a_une_valeur_par_defaut():
    resultat = _manage("check", DEBUG="1")
    assert resultat.returncode == 0, resultat.stderr
