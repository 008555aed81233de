import csv

import hypothesis
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from ti.comptes.models import Role
from ti.core.travaux import executer_en_attente
from ti.referentiel.models import Region

from .connexion import ClientVerifie
from .factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec


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


@pytest.fixture(autouse=True)
def _types_de_contenu_relus(request):
    """A transactional test (browser journeys, concurrency) starts from the serialized state of the database, with
    the content types' ids of the migrations; the ids cached in memory by earlier tests may name content types that
    an ordinary test created after a flush, in a transaction since rolled back. Read them again from the database."""
    if "transactional_db" in request.fixturenames:
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
