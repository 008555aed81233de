# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
RUN_ENV := DEBUG=1
HOST ?= 127.0.0.1:8000

.PHONY: run test test-futur lint venv dependances verifier-dependances donnees demo serve test-e2e navigateur clean mutation \
	bench bench-lighthouse-installer sauvegarde restauration

# The environment is installed from the lock files only, every package checked against its hashes
# (docs/decisions/0064-dependances-verrouillees-et-avertissements.md).
$(STAMP): requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $(STAMP)

venv: $(STAMP)

# requirements.txt and requirements-dev.txt list the direct dependencies (edited by hand); the lock files pin every
# transitive one with its hashes. uv keeps the versions already locked unless asked: make dependances MAJ=--upgrade
VERROUILLER = $(BIN)/uv pip compile --quiet --no-config --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make dependances" $(MAJ)

## After any change to requirements.txt or requirements-dev.txt: re-locks both lists, then updates .venv/.
dependances: $(STAMP)
	$(VERROUILLER) requirements.txt -o requirements.lock
	$(VERROUILLER) requirements-dev.txt -c requirements.lock -o requirements-dev.lock
	$(MAKE) venv

## CI: fails when a lock file no longer matches the direct dependencies it was made from.
verifier-dependances: $(STAMP)
	mkdir -p var/verrou
	cp requirements.lock requirements-dev.lock var/verrou/
	$(VERROUILLER) requirements.txt -o var/verrou/requirements.lock
	$(VERROUILLER) requirements-dev.txt -c requirements.lock -o var/verrou/requirements-dev.lock
	diff -u requirements.lock var/verrou/requirements.lock && diff -u requirements-dev.lock var/verrou/requirements-dev.lock \
		|| { echo "Les fichiers de verrou ne suivent plus requirements*.txt : lancez make dependances."; exit 1; }

## Fresh clone → migrated SQLite database, real reference data, demo, server on http://127.0.0.1:8000 and its job worker
run: $(STAMP)
	mkdir -p var
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py import_cog data/cog-2026
	$(RUN_ENV) $(BIN)/python manage.py import_territoires --phase 1 data/territoires-industrie/temps1-communes-2020.csv
	$(RUN_ENV) $(BIN)/python manage.py import_territoires --phase 2 data/territoires-industrie/temps2-communes-2026.csv
	$(RUN_ENV) $(BIN)/python manage.py charger_demo
# The job queue's worker (e-mails, notifications, digests) runs beside the server; Ctrl-C stops both.
	$(RUN_ENV) $(BIN)/python manage.py qcluster & TRAVAUX=$$!; \
	trap 'kill $$TRAVAUX 2>/dev/null; wait $$TRAVAUX' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST)

## The whole suite (SQLite by default; PostgreSQL when DATABASE_URL is set). Browser journeys need Chromium.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

## The suite on the 1st of January 2031 (docs/decisions/0063): a test that fails then relies on a date written in it.
test-futur: $(STAMP)
	TI_DATE_DU_JOUR=$${TI_DATE_DU_JOUR:-2031-01-01} $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

## Only the browser journeys (headless Chromium).
test-e2e: $(STAMP)
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

## Debian's Chromium, used by the browser journeys (root or sudo).
navigateur:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0)

## Database and uploaded files in one archive under var/sauvegardes/ (docs/exploitation.md).
sauvegarde: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py sauvegarder

## Replaces the database and uploaded files by an archive's: make restauration ARCHIVE=var/sauvegardes/….tar.gz
restauration: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "Indiquez l’archive : make restauration ARCHIVE=var/sauvegardes/….tar.gz"; exit 1; }
	$(RUN_ENV) $(BIN)/python manage.py restaurer "$(ARCHIVE)" --oui

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

## The performance bench (bench/README.md): gunicorn + PostgreSQL + wrk, results in bench/results/. Not run in CI.
FACTEUR ?= 1
CONCURRENCES ?= 1,4,16,64
DUREE ?= 3
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ti_bench
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	mkdir -p var
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --facteur $(FACTEUR) \
		--concurrences $(CONCURRENCES) --duree $(DUREE) $(BENCH_ARGS)

## Lighthouse for the bench (bench/lighthouse.py), pinned by bench/lighthouse/package-lock.json; needs node and npm.
bench-lighthouse-installer:
	cd bench/lighthouse && npm ci --no-audit --no-fund --ignore-scripts
## Mutation score of the permission layer, the state machines and the money rules (decision 0067), on the tests listed
## in pyproject.toml ([tool.mutmut]); mutants/ keeps the results (`… -m tests.mutation show NAME`). Not run in CI.
mutation: $(STAMP)
	nice -n 10 $(BIN)/python -m tests.mutation run --max-children 1
	$(BIN)/python -m tests.mutation bilan
