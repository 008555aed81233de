# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
RUN_ENV := DEBUG=1
HOST ?= 127.0.0.1:8000

.PHONY: run test test-futur lint venv donnees demo serve test-e2e navigateur clean bench sauvegarde restauration

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

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
CONCURRENCES ?= 1,4,16
DUREE ?= 3
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ti_bench
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	mkdir -p var
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --facteur $(FACTEUR) \
		--concurrences $(CONCURRENCES) --duree $(DUREE) $(BENCH_ARGS)
