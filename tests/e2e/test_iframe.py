"""Inside an <iframe> of another site (a gov.br page): the session holds across POSTs,
the portal drops its own header and tells the host its height."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.support.navegador import PHONE


class HostSite:
    """A page on http://localhost:<port> that frames the portal on http://127.0.0.1:<port>."""

    def __init__(self, portal_url):
        html = f"""<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<title>gov.br</title></head><body><h1>Site anfitrião</h1>
<iframe id="portal" title="Área do Cliente" src="{portal_url}/entrar" width="360" height="300"></iframe>
<script>
window.addEventListener("message", function (e) {{
  if (e.data && e.data.tipo === "area-cliente:altura") {{
    document.getElementById("portal").height = e.data.altura;
    document.body.setAttribute("data-altura", e.data.altura);
  }}
}});
</script></body></html>""".encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def e2e_config(e2e_config):
    # The host site runs on localhost with a port chosen at random.
    return {**e2e_config, "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_SAMESITE": "None",
            "SESSION_COOKIE_PARTITIONED": True, "EMBED_ORIGINS": ["http://localhost:*"]}


def test_a_framed_portal_keeps_the_session_across_posts(browser, server):
    host = HostSite(server.url)
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(host.url)
        frame = page.frame_locator("#portal")
        expect(frame.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()
        expect(frame.locator("header.topo")).to_have_count(0)
        frame.get_by_label("CPF").fill("123.456.789-09")
        frame.get_by_label("Senha").fill("demo12345")
        frame.get_by_role("button", name="Entrar").click()
        frame.get_by_role("link", name="Meus Pedidos").first.click()
        frame.get_by_role("link", name="Consulta Processos de Compra").click()
        expect(frame.get_by_role("heading", name="Consulta Processos de Compra")).to_be_visible()
        expect(frame.locator("#resultados .cartao").first).to_be_visible()
        # A second POST in the frame still has the session: "Sair" works and leads to login.
        frame.get_by_role("button", name="Sair").click()
        expect(frame.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()
        # The portal told the host its height, so the frame can grow.
        expect(page.locator("body[data-altura]")).to_have_count(1)
    finally:
        context.close()
        host.stop()


def test_a_site_not_allowed_gets_an_empty_frame(browser, tmp_path):
    """frame-ancestors: with no EMBED_ORIGINS the portal refuses to be framed."""
    from tests.support.navegador import LiveServer
    from app import create_app
    from tests.support.ambiente import TEST_CONFIG, database_url
    import migrations
    from models import db

    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url(tmp_path)})
    with db.connection_context():
        migrations.migrate()
    live = LiveServer(app).start()
    host = HostSite(live.url)
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(host.url)
        page.wait_for_timeout(500)
        frame = page.frame_locator("#portal")
        expect(frame.get_by_role("heading", name="Entrar na Área do Cliente")).to_have_count(0)
    finally:
        context.close()
        host.stop()
        live.stop()
