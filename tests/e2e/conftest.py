"""Browser harness: the app on a free port, Debian's Chromium driven by Playwright.

Every journey runs on a phone-sized screen twice, with JavaScript on and off (`phone`).
Without /usr/bin/chromium the tests are skipped with the reason, unless E2E_REQUIRED is set
(CI sets it), in which case they fail.
"""
import os
import shutil

import pytest

from tests.support.ambiente import TEST_CONFIG
from tests.support.navegador import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    DESKTOP,
    PHONE,
    pagina,
    servidor_demo,
)


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        reason = f"Chromium not found at {CHROMIUM}: browser tests skipped"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(reason + " (E2E_REQUIRED is set)")
        print(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_config():
    """Settings of the served app; CSRF stays on, as in production."""
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def server(tmp_path, e2e_config):
    with servidor_demo(e2e_config, tmp_path) as live:
        yield live


@pytest.fixture(params=[True, False], ids=["js", "sem-js"])
def phone(request, browser, server):
    """A page on a phone-sized screen, with JavaScript on or off; `phone.js` tells which."""
    with pagina(browser, server.url, PHONE, request.param) as page:
        yield page


@pytest.fixture(params=[True, False], ids=["js", "sem-js"])
def desktop(request, browser, server):
    """A page on a 1280 × 800 screen, with JavaScript on or off; `desktop.js` tells which."""
    with pagina(browser, server.url, DESKTOP, request.param) as page:
        yield page
