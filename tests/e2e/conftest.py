"""Browser harness: the app on a free port, Debian's Chromium driven by Playwright.

Every journey runs on a phone-sized screen twice, with JavaScript on and off (`phone`).
Without /usr/bin/chromium the tests are skipped with the reason, unless E2E_REQUIRED is set
(CI sets it), in which case they fail.
"""
import os
import shutil
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from tests.conftest import TEST_CONFIG, database_url

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
    "locale": "pt-BR", "timezone_id": "America/Sao_Paulo",
}


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


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def e2e_config():
    """Settings of the served app; CSRF stays on, as in production."""
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True}


@contextmanager
def servidor_demo(config, tmp_path):
    """The app with the demo data, served on a free port until the block ends."""
    import demo_data
    import migrations
    from app import create_app
    from models import db
    from tests.conftest import empty_database

    app = create_app({**config, "DATABASE_URL": database_url(tmp_path)})
    with db.connection_context():
        migrations.migrate()
    empty_database()
    with app.app_context(), db.connection_context():
        demo_data.criar()
    live = LiveServer(app).start()
    try:
        yield live
    finally:
        live.stop()
        empty_database()


@pytest.fixture
def server(tmp_path, e2e_config):
    with servidor_demo(e2e_config, tmp_path) as live:
        yield live


@pytest.fixture(params=[True, False], ids=["js", "sem-js"])
def phone(request, browser, server):
    """A page on a phone-sized screen, with JavaScript on or off; `phone.js` tells which."""
    context = browser.new_context(java_script_enabled=request.param, base_url=server.url,
                                  **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js = request.param
    yield page
    context.close()


def entrar(page, cpf="123.456.789-09", senha="demo12345"):
    page.goto("/entrar")
    page.get_by_label("CPF").fill(cpf)
    page.get_by_label("Senha").fill(senha)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def no_horizontal_scroll(page):
    if not page.js:
        return True  # measuring needs JavaScript; the CSS is the same either way
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
