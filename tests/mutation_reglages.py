"""Settings of the mutation runs (`make mutation`, decision 0067): the test database in a file kept between runs
(`--reuse-db`), so that each mutant's pytest does not migrate a new in-memory one (seconds per mutant). mutmut runs
one mutant at a time (`--max-children 1`): two would share this file."""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "mutation-tests.sqlite3")}
