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


def _reglage(expression: str, **variables) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    resultat = _manage("shell", "-c", code, **PRODUCTION, **variables)
    assert resultat.returncode == 0, resultat.stderr
    return resultat.stdout.strip().splitlines()[-1]  # the shell may first list what it imported


def test_avec_cache_url_les_workers_partagent_cache_et_sessions():
    variables = {"CACHE_URL": "redis://127.0.0.1:6379/3"}
    assert _reglage("settings.CACHES['default']['BACKEND']", **variables).endswith("RedisCache")
    assert _reglage("settings.SESSION_ENGINE", **variables) == "django.contrib.sessions.backends.cached_db"


def test_sans_cache_url_chaque_processus_a_son_cache_et_les_sessions_restent_en_base():
    assert _reglage("settings.CACHES['default']['BACKEND']").endswith("LocMemCache")
    assert _reglage("settings.SESSION_ENGINE") == "django.contrib.sessions.backends.db"


def test_un_mandataire_de_confiance_illisible_empeche_le_demarrage():
    resultat = _manage("check", PROXYS_DE_CONFIANCE="10.0.0.5,10.0.0.300", DEBUG="1")
    assert resultat.returncode != 0
    assert "PROXYS_DE_CONFIANCE : adresse ou réseau illisible" in resultat.stderr
