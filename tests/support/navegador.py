"""The browser side of the tests: Debian's Chromium, a phone-sized screen, the app served on a
free port, and the steps every journey shares."""
import os
import threading
from contextlib import contextmanager

from werkzeug.serving import make_server

from cli import dados_demo
import migrations
from app import create_app
from models import db
from tests.support.ambiente import database_url, empty_database

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
    "locale": "pt-BR", "timezone_id": "America/Sao_Paulo",
}


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


@contextmanager
def servidor_demo(config, tmp_path):
    """The app with the demo data, served on a free port until the block ends."""

    app = create_app({**config, "DATABASE_URL": database_url(tmp_path)})
    with db.connection_context():
        migrations.migrate()
    empty_database()
    with app.app_context(), db.connection_context():
        dados_demo.criar()
    live = LiveServer(app).start()
    try:
        yield live
    finally:
        live.stop()
        empty_database()


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


# A desktop screen: Gerenciar Certificados and Consulta Processos de Compra are tables here.
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "pt-BR",
           "timezone_id": "America/Sao_Paulo"}


@contextmanager
def pagina(browser, base_url, tela, js=True):
    """A page on a screen of `tela`'s size (PHONE, DESKTOP), with JavaScript on or off
    (`page.js` tells which); its browser context closes afterwards."""
    context = browser.new_context(java_script_enabled=js, base_url=base_url, **tela)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js = js
    try:
        yield page
    finally:
        context.close()
