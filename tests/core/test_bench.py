"""The benchmark's hooks: the SQL query counter and the framework floor exist only when BENCH=1."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ti.core.middleware_bench import ENTETE, CompteurRequetesSQL, plancher
from ti.referentiel.models import Region

MIDDLEWARE_BENCH = "ti.core.middleware_bench.CompteurRequetesSQL"
RACINE = Path(__file__).resolve().parents[2]


def test_le_compteur_donne_le_nombre_de_requetes_de_la_vue(db):
    def vue(request):
        Region.objects.count()
        list(Region.objects.all())
        Region.objects.filter(code="24").exists()
        return plancher(request)

    response = CompteurRequetesSQL(vue)(RequestFactory().get("/"))

    assert response[ENTETE] == "3"
    assert response.content == b"ok\n"


def test_le_compteur_dit_zero_sans_requete_et_repart_de_zero_a_chaque_requete(db):
    avec_requete = CompteurRequetesSQL(lambda request: (Region.objects.count(), plancher(request))[1])
    sans_requete = CompteurRequetesSQL(plancher)

    assert avec_requete(RequestFactory().get("/"))[ENTETE] == "1"
    assert avec_requete(RequestFactory().get("/"))[ENTETE] == "1"
    assert sans_requete(RequestFactory().get("/"))[ENTETE] == "0"


def test_dans_la_pile_le_compteur_voit_toutes_les_requetes_de_la_page(
    db, client, settings, django_assert_max_num_queries
):
    settings.MIDDLEWARE = [MIDDLEWARE_BENCH, *settings.MIDDLEWARE]

    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as requetes:
        response = client.get("/")

    assert response.status_code == 200
    assert int(response[ENTETE]) == len(requetes) > 0


def test_sans_bench_ni_compteur_ni_plancher(db, client, django_assert_max_num_queries):
    assert settings.BENCH is False
    assert MIDDLEWARE_BENCH not in settings.MIDDLEWARE

    with django_assert_max_num_queries(7):  # the home page's figures, computed once (tests/pilotage/test_accueil.py)
        accueil = client.get("/")
        plancher_absent = client.get("/bench/plancher")

    assert ENTETE not in accueil
    assert plancher_absent.status_code == 404


def _reglages(bench: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BENCH"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    if bench is not None:
        env["BENCH"] = bench
    code = (
        "import json, django; django.setup()\n"
        "from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "try:\n    vue = resolve('/bench/plancher').func.__name__\nexcept Resolver404:\n    vue = None\n"
        "print(json.dumps({'middleware': settings.MIDDLEWARE, 'vue': vue}))"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code], cwd=RACINE, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_bench_1_ajoute_le_compteur_en_tete_de_pile_et_route_le_plancher():
    reglages = _reglages("1")

    assert reglages["middleware"][0] == MIDDLEWARE_BENCH
    assert reglages["vue"] == "plancher"


def test_sans_la_variable_ou_a_0_la_production_est_inchangee():
    for valeur in (None, "0"):
        reglages = _reglages(valeur)
        assert MIDDLEWARE_BENCH not in reglages["middleware"]
        assert reglages["vue"] is None
