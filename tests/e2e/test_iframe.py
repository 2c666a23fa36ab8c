"""Inside an <iframe> of another site (a gov.br page on localhost framing the portal on
127.0.0.1), loaded the way README tells host sites to: the iframe plus static/embed.js.
The whole journey works there, PDFs included; the frame follows the content's height both
ways; a frame that keeps no cookie says so and offers a new tab; other sites are refused."""
import re
import threading
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from models import Boleto, Certificado, Conta, ProcessoCompra, db
import relogio
from tests.support.navegador import PHONE, servidor_demo
from tests.support.passos import (contato, continuar, dados_pessoais, documento, endereco,
                                   foto_do_documento)

ORIGENS = ["http://localhost:*"]  # the host site runs on localhost, on a random port


class HostSite:
    """A page on http://localhost:<port> with the README's snippet for the portal."""

    def __init__(self, portal_url, caminho="/entrar", allow="clipboard-write; storage-access"):
        html = f"""<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>gov.br</title></head><body style="margin:0"><h1>Site anfitrião</h1>
<iframe id="portal" src="{portal_url}{caminho}" title="Área do Cliente — Certificado Digital"
        allow="{allow}" style="width:100%;border:0"></iframe>
<script src="{portal_url}/static/embed.js" async></script>
<p id="rodape-anfitriao">Rodapé do site anfitrião</p>
</body></html>""".encode()

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
    return {**e2e_config, "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_SAMESITE": "None",
            "SESSION_COOKIE_PARTITIONED": True, "EMBED_ORIGINS": ORIGENS}


@pytest.fixture
def anfitriao(browser, server):
    host = HostSite(server.url)
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(host.url)
    yield page
    context.close()
    host.stop()


def quadro_do_portal(page, server):
    return next(f for f in page.frames if f.url.startswith(server.url))


def altura_confere(page, server):
    """The iframe is as tall as the portal's content (within 50 px). Returns that height."""
    quadro = page.locator("#portal")
    expect(quadro).to_have_attribute("data-altura", re.compile(r"\d+"))
    conteudo = quadro_do_portal(page, server).evaluate(
        "Math.ceil(document.body.getBoundingClientRect().height)")
    altura = quadro.bounding_box()["height"]
    assert abs(altura - conteudo) <= 50, (altura, conteudo)
    return altura


def assentar(page, server):
    """Wait until the frame took the new page's height and kept it: a click while the host
    page still moves may land where the button was before."""
    anterior = None
    for _ in range(50):
        quadro = quadro_do_portal(page, server)
        try:
            conteudo = quadro.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        except PlaywrightError:  # the frame was still navigating (a POST's redirect): wait it
            quadro.wait_for_load_state()
            continue
        altura = page.locator("#portal").bounding_box()["height"]
        if abs(altura - conteudo) <= 2 and altura == anterior:
            return
        anterior = altura
        page.wait_for_timeout(100)


# The journey is driven from the keyboard: right after the host page scrolled or the frame
# resized, Chromium may still route a pointer click to where the cross-site frame's content
# was (its hit-testing data lags), which makes clicks land nowhere now and then.

def marcar(opcao):
    opcao.focus()
    opcao.press("Space")
    expect(opcao).to_be_checked()


def tocar(alvo):
    alvo.focus()
    alvo.press("Enter")


def entrar_no_quadro(frame, cpf="123.456.789-09", senha="demo12345"):
    frame.get_by_label("CPF").fill(cpf)
    frame.get_by_label("Senha").fill(senha)
    frame.get_by_role("button", name="Entrar").click()
    expect(frame.get_by_role("heading", name="Área do Cliente", exact=True)).to_be_visible()


def abre_pdf(page, link):
    """Clicking `link` opens a new top-level tab (no frame cookie there) showing a PDF."""
    with page.context.expect_event(
            "response", predicate=lambda r: ".pdf" in r.url and r.request.method == "GET") as info:
        tocar(link)
    resposta = info.value
    assert resposta.status == 200, resposta.url
    assert resposta.headers["content-type"] == "application/pdf"
    for aba in page.context.pages[1:]:
        aba.close()


def disponivel_de_maria():
    with db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        return (Certificado.select().join(ProcessoCompra)
                .where((ProcessoCompra.comprador == maria)
                       & (Certificado.situacao == "disponivel")).get().numero)


def test_the_whole_journey_works_inside_the_frame(anfitriao, server):
    page, frame = anfitriao, anfitriao.frame_locator("#portal")

    def chegou(titulo):
        expect(frame.get_by_role("heading", name=titulo, exact=True)).to_be_visible()
        assentar(page, server)

    def clicar(papel, nome, titulo):
        tocar(frame.get_by_role(papel, name=nome, exact=True).first)
        chegou(titulo)

    chegou("Entrar na Área do Cliente")
    expect(frame.locator("header.topo")).to_have_count(0)
    expect(frame.locator("#quadro-sem-sessao")).to_be_hidden()
    entrar_no_quadro(frame)
    assentar(page, server)

    # Atribuir Certificado to herself, then "Solicitar Certificado": the holder's wizard.
    numero = disponivel_de_maria()
    clicar("link", "Solicitação de Certificado Digital", "Solicitação de Certificado Digital")
    clicar("link", "Gerenciar Certificados", "Gerenciar Certificados")
    clicar("link", f"Gerenciar certificado {numero}", "Atribuir/Gerenciar Certificado Digital")
    clicar("link", "Atribuir Certificado", "Atribuir Certificado")
    frame.get_by_label("CPF do titular").fill("123.456.789-09")
    frame.get_by_label("E-mail do titular", exact=True).fill("maria@example.com")
    frame.get_by_label("Confirme o e-mail do titular").fill("maria@example.com")
    clicar("button", "Atribuir", "Atribuir/Gerenciar Certificado Digital")
    clicar("link", "Solicitar Certificado", "Dados pessoais")
    for preencher, proxima in ((lambda f: dados_pessoais(f, nome="Maria da Silva"), "Contato"),
                               (lambda f: contato(f, email="maria@example.com"), "Endereço"),
                               (endereco, "Documento de identificação"),
                               (documento, "Documentos")):
        preencher(frame)
        continuar(frame, proxima)
        assentar(page, server)
    foto_do_documento(frame)
    assentar(page, server)
    clicar("button", "Gerar termo de titularidade", "Termo de titularidade")
    abre_pdf(page, frame.get_by_role("link", name=re.compile("Abrir o termo em PDF")))
    marcar(frame.get_by_label("Li e concordo"))
    clicar("button", "Enviar solicitação", "Emissão solicitada")

    # Scheduling the videoconference.
    clicar("link", "Agendar videoconferência",
           "Você pode fazer a validação por videoconferência?")
    marcar(frame.get_by_label("Sim, tenho CNH emitida ou renovada a partir de 2017"))
    clicar("button", "Continuar", "Agendar videoconferência")
    tocar(frame.locator(".escolhas a").first)
    expect(frame.locator(".horarios input[type=radio]").first).to_be_visible()
    assentar(page, server)
    marcar(frame.locator(".horarios input[type=radio]").first)
    clicar("button", "Continuar", "Confirme o agendamento")
    clicar("button", "Confirmar agendamento", "Videoconferência agendada")

    # Financeiro: Gerar novo Boleto for the overdue one, then its PDF.
    with db.connection_context():
        vencido = (Boleto.select().join(ProcessoCompra)
                   .where((Boleto.situacao == "em_aberto") & (Boleto.vencimento < relogio.hoje())
                          & (ProcessoCompra.comprador == Conta.get(Conta.cpf == "12345678909")))
                   .get())
    clicar("link", "Financeiro", "Financeiro")
    linha = frame.locator(".boletos li.cartao", has_text=vencido.numero_documento)
    tocar(linha.locator("summary", has_text="Ações"))
    tocar(linha.get_by_role("link", name="Gerar novo Boleto"))
    chegou("Gerar novo Boleto")
    frame.get_by_label("Nova data de vencimento").fill(
        (relogio.hoje() + timedelta(days=2)).isoformat())
    marcar(frame.get_by_label("Li e aceito os termos"))
    tocar(frame.get_by_role("button", name="Gerar novo Boleto"))
    expect(frame.get_by_text("Novo boleto gerado")).to_be_visible()
    assentar(page, server)
    abre_pdf(page, frame.get_by_role("link", name="Visualizar boleto (PDF)"))


def test_the_frame_follows_the_content_growing_and_shrinking(anfitriao, server):
    page, frame = anfitriao, anfitriao.frame_locator("#portal")
    entrar_no_quadro(frame)
    frame.get_by_role("link", name="Ajuda").first.click()
    expect(frame.get_by_role("heading", name="Ajuda", exact=True)).to_be_visible()
    longa = altura_confere(page, server)
    frame.get_by_role("link", name="Meus Pedidos").first.click()
    expect(frame.get_by_role("heading", name="Meus Pedidos")).to_be_visible()
    page.wait_for_timeout(300)
    curta = altura_confere(page, server)
    assert curta < longa - 100, (longa, curta)
    # The host's own content follows the frame, with no gap.
    rodape = page.locator("#rodape-anfitriao").bounding_box()["y"]
    fundo = page.locator("#portal").bounding_box()
    assert rodape - (fundo["y"] + fundo["height"]) < 60


def test_a_framed_portal_keeps_the_session_across_posts(anfitriao):
    frame = anfitriao.frame_locator("#portal")
    entrar_no_quadro(frame)
    frame.get_by_role("link", name="Meus Pedidos").first.click()
    frame.get_by_role("link", name="Consulta Processos de Compra").click()
    expect(frame.locator("#resultados tbody tr").first).to_be_visible()
    # A second POST in the frame still has the session: "Sair" works and leads to login.
    frame.get_by_role("button", name="Sair").click()
    expect(frame.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()


@contextmanager
def host_com_portal(browser, config, tmp_path, js=True):
    """A phone showing the host site, whose page frames the portal served with `config`."""
    with servidor_demo(config, tmp_path) as live:
        host = HostSite(live.url)
        context = browser.new_context(java_script_enabled=js, **PHONE)
        try:
            page = context.new_page()
            page.goto(host.url)
            yield context, page
        finally:
            context.close()
            host.stop()


def test_a_frame_without_cookies_offers_a_new_tab(browser, tmp_path, e2e_config):
    # SameSite=Lax: the browser keeps no portal cookie in a cross-site frame, as one that
    # refuses third-party cookies does.
    config = {**e2e_config, "SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_PARTITIONED": False}
    with host_com_portal(browser, config, tmp_path) as (context, page):
        frame = page.frame_locator("#portal")
        aviso = frame.locator("#quadro-sem-sessao")
        expect(aviso).to_be_visible()
        expect(aviso).to_contain_text("não guarda os cookies")
        with context.expect_page() as aba:
            aviso.get_by_role("link", name="Abrir em nova aba").click()
        nova = aba.value
        expect(nova.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()
        entrar_no_quadro(nova)  # top-level, the cookie is kept


@pytest.mark.parametrize("js", [True, False], ids=["js", "sem-js"])
def test_a_form_sent_from_a_frame_without_cookies_offers_a_new_tab(browser, tmp_path, e2e_config,
                                                                   js):
    """The person ignores the notice and signs in anyway: the CSRF refusal that follows (the
    browser sent no cookie) is the frame notice, never "Recarregue a página", which cannot
    help. The request is the browser's own form POST, with its own headers."""
    config = {**e2e_config, "SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_PARTITIONED": False}
    with host_com_portal(browser, config, tmp_path, js=js) as (context, page):
        frame = page.frame_locator("#portal")
        frame.get_by_label("CPF").fill("123.456.789-09")
        frame.get_by_label("Senha").fill("demo12345")
        frame.get_by_role("button", name="Entrar").click()
        expect(frame.get_by_role("heading", name="Não foi possível continuar neste quadro")
               ).to_be_visible()
        aviso = frame.locator("#quadro-sem-sessao")
        expect(aviso).to_be_visible()
        expect(aviso.get_by_role("link", name="Abrir em nova aba")).to_be_visible()
        expect(frame.get_by_text("Recarregue a página")).to_have_count(0)


def test_a_site_not_in_embed_origins_gets_an_empty_frame(browser, tmp_path, e2e_config):
    """frame-ancestors lists only EMBED_ORIGINS: another site's frame stays empty."""
    config = {**e2e_config, "EMBED_ORIGINS": ["https://servicos.exemplo.gov.br"]}
    with host_com_portal(browser, config, tmp_path) as (_, page):
        page.wait_for_timeout(500)
        frame = page.frame_locator("#portal")
        expect(frame.get_by_role("heading", name="Entrar na Área do Cliente")).to_have_count(0)
