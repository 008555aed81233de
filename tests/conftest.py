import csv
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import time_machine
from django.conf import settings as reglages
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.template.base import FilterExpression, Node

from ti.comptes.models import Role
from ti.core.travaux import executer_en_attente
from ti.referentiel.models import Region

from .connexion import ClientVerifie
from .factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec


# « Running in the future »: TI_DATE_DU_JOUR=2031-01-01 moves the clock of the whole session to that day (10:00, Paris
# time, the clock then ticks), before any test module is imported. A test that passes today and fails then is
# relying on a fixed date. See docs/decisions/0063.
def pytest_configure(config):
    date_du_jour = os.environ.get("TI_DATE_DU_JOUR")
    if date_du_jour:
        instant = datetime.fromisoformat(date_du_jour)
        if len(date_du_jour) <= 10:
            instant = instant.replace(hour=10)
        config._ti_voyage = time_machine.travel(instant.replace(tzinfo=instant.tzinfo or ZoneInfo("Europe/Paris")))
        config._ti_voyage.start()


def pytest_unconfigure(config):
    voyage = getattr(config, "_ti_voyage", None)
    if voyage is not None:
        voyage.stop()


def pytest_report_header(config):
    if getattr(config, "_ti_voyage", None) is not None:
        return f"date du jour (TI_DATE_DU_JOUR) : {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"


class VariableInconnue(str):
    """Django's `string_if_invalid` in tests: a variable that a template prints (`{{ }}`) but that its context lacks
    fails the test instead of showing as empty text. Django formats it with the variable's name (`%s`)."""

    # Third-party templates that legitimately print variables their callers may leave out.
    TOLERES = (
        os.sep + os.path.join("dsfr", "templates") + os.sep,
        os.sep + os.path.join("django", "contrib", "admin", "templates") + os.sep,
        os.sep + os.path.join("django", "forms", "templates") + os.sep,
    )

    def __mod__(self, variable):
        appel = sys._getframe(1).f_locals
        expression, contexte = appel.get("self"), appel.get("context")
        if isinstance(expression, FilterExpression) and contexte is not None and _avec_defaut(expression):
            # `{{ x|default:"…" }}` says the variable may be missing: rendered as in production.
            moteur = contexte.template.engine
            moteur.string_if_invalid = ""
            try:
                return expression.resolve(contexte)
            finally:
                moteur.string_if_invalid = self
        origine = _gabarit_en_cours()
        if any(tolere in str(origine) for tolere in self.TOLERES):
            return ""
        raise AssertionError(f"Variable inconnue dans un gabarit : {{{{ {variable} }}}} ({origine or '?'})")


def _avec_defaut(expression) -> bool:
    return any(filtre.__name__ in ("default", "default_if_none") for filtre, _ in expression.filters)


def _gabarit_en_cours():
    """The template file that holds the variable: the origin of the node being rendered, found on the stack (not the
    template being rendered, which for a block is the parent that the page extends, django-dsfr's base)."""
    cadre = sys._getframe(2)
    while cadre is not None:
        noeud = cadre.f_locals.get("self")
        if isinstance(noeud, Node) and getattr(noeud, "origin", None) is not None:
            return noeud.origin.name
        cadre = cadre.f_back
    return ""


@pytest.fixture(scope="session", autouse=True)
def _variables_de_gabarit_connues():
    from django.test.utils import override_settings

    gabarits = [
        {**moteur, "OPTIONS": {**moteur.get("OPTIONS", {}), "string_if_invalid": VariableInconnue("%s")}}
        for moteur in reglages.TEMPLATES
    ]
    with override_settings(TEMPLATES=gabarits):
        yield


@pytest.fixture(autouse=True)
def _statiques_sans_manifeste(settings):
    """Tests run without DEBUG but without `collectstatic`: static URLs are built without the manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _hachage_rapide(settings):
    """Password hashing is deliberately slow; tests hash and check many passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _limite_du_module_csv():
    """Python's default size of a CSV field, as in production: a library imported by some tests (frictionless) raises
    it for the whole process, and the readers' « quote never closed » refusals depend on it."""
    limite = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(limite)


@pytest.fixture(autouse=True)
def _cache_vide():
    """Cached figures (ti/core/cache.py) must not leak from one test's rolled-back data into the next."""
    cache.clear()


def _transactionnel(item) -> bool:
    marqueur = item.get_closest_marker("django_db")
    en_transaction = marqueur is not None and (
        marqueur.kwargs.get("transaction") or (len(marqueur.args) > 0 and marqueur.args[0])
    )
    return bool(en_transaction) or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Content types are kept in memory by Django, ids included. Before a transactional test (its database restored
    by a serialized rollback) and after it (its database flushed), they may point at rows that no longer exist, and a
    journal row would then break its foreign key — or not, depending on the order of the tests: they are read
    again."""
    if _transactionnel(item):
        ContentType.objects.clear_cache()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _transactionnel(item):
            ContentType.objects.clear_cache()


@pytest.fixture
def client():
    """Django's test client whose `force_login` also gives the second factor where the account needs it."""
    return ClientVerifie()


@pytest.fixture
def cvl(db) -> Region:
    return RegionFactory(code="24", nom="Centre-Val de Loire")


@pytest.fixture
def bretagne(db) -> Region:
    return RegionFactory(code="53", nom="Bretagne")


@pytest.fixture
def territoire_cvl(cvl):
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    return TerritoireFactory(
        nom="Est du Loiret",
        communes=[CommuneFactory(code="45208", nom="Montargis", departement=loiret, population=14000)],
    )


@pytest.fixture
def territoire_bretagne(bretagne):
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=bretagne)
    return TerritoireFactory(
        nom="Lorient", communes=[CommuneFactory(code="56121", nom="Lorient", departement=morbihan)]
    )


@pytest.fixture
def equipe_nationale(db):
    return utilisateur_avec(Role.EQUIPE_NATIONALE)


@pytest.fixture
def instructeur_cvl(cvl):
    return utilisateur_avec(Role.INSTRUCTEUR, region=cvl)


@pytest.fixture
def chef_projet_cvl(territoire_cvl):
    return utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl)


@pytest.fixture
def binome_cvl(territoire_cvl):
    return utilisateur_avec(Role.BINOME, territoire=territoire_cvl)


@pytest.fixture
def expert_ademe_cvl(cvl):
    return utilisateur_avec(Role.EXPERT_ADEME, region=cvl)


@pytest.fixture
def referent_region_cvl(cvl):
    return utilisateur_avec(Role.REFERENT_REGION, region=cvl)


@pytest.fixture
def instructeur_bretagne(bretagne):
    return utilisateur_avec(Role.INSTRUCTEUR, region=bretagne)


@pytest.fixture
def executer_travaux(django_capture_on_commit_callbacks):
    """Runs the queued jobs as the worker would, and those they queue in turn; returns how many ran.

    Jobs are queued after commit: the test's transaction never commits, so its callbacks are run here."""

    def executer() -> int:
        total = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True):
                executes = executer_en_attente()
            if not executes:
                return total
            total += executes

    return executer


# Property tests (Hypothesis): the same examples on every run and in CI, no time limit per example (the database
# sets the pace), no example database written in the working tree. See docs/decisions/0027.
hypothesis.settings.register_profile(
    "ti",
    derandomize=True,
    deadline=None,
    max_examples=30,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile("ti")
