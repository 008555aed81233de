"""Browser journeys: Debian's Chromium driven by Playwright, against the application served by `live_server`."""

import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
OPTIONS_CHROMIUM = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def navigateur():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium est introuvable ({CHROMIUM}) : installez-le avec « make navigateur ».")
    # Playwright's sync API runs an event loop in the test thread; the test only touches the database between
    # browser steps, never concurrently, so Django's async-safety guard is relaxed for browser journeys only.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        navigateur = playwright.chromium.launch(executable_path=CHROMIUM, args=OPTIONS_CHROMIUM)
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(navigateur):
    """A browser tab; at the end of the journey, no resource may have been refused by the Content-Security-Policy."""
    contexte = navigateur.new_context(locale="fr-FR")
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    refus = []
    page.on(
        "console", lambda message: refus.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    contexte.close()
    assert refus == [], "Refusé par la politique de sécurité du contenu"


@pytest.fixture
def programme_reel(transactional_db, django_db_serialized_rollback):
    """The real geography and the real phase 1 territories, as `make run` loads them.

    The serialized rollback restores what migrations put in the database (themes, M57 compétences, SGPE leviers)
    once the live-server test has flushed it, so that the tests that follow still find them."""
    call_command("import_cog", "data/cog-2026", verbosity=0)
    call_command(
        "import_territoires", "--phase", "1", "data/territoires-industrie/temps1-communes-2020.csv", verbosity=0
    )
