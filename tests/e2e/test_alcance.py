"""On a slow or failing line and with assistive technology: an htmx submit says it is
travelling and survives a dropped request with everything typed; a page that comes back with
errors puts the focus on their summary; "Copiar" where the clipboard is refused selects the
text instead."""
import re

import pytest
from playwright.sync_api import expect

from models import Boleto, Conta, ProcessoCompra, db
from tests.support.navegador import PHONE, entrar
from tests.support.passos import continuar, dados_pessoais
from tests.e2e.test_iframe import ORIGENS, HostSite, assentar, tocar
from tests.support.solicitacao import novo_link


@pytest.fixture
def celular(browser, server):
    context = browser.new_context(base_url=server.url, **PHONE)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_submit_is_marked_busy_and_a_dropped_one_keeps_what_was_typed(celular, server):
    page = celular
    _, token = novo_link(server.app)
    page.goto(f"/t/{token}")
    page.get_by_role("link", name="Começar").click()
    expect(page.get_by_role("heading", name="Dados pessoais")).to_be_visible()
    dados_pessoais(page)
    retidos = []

    def reter(route):
        if route.request.method == "POST":
            retidos.append(route)  # answered below: the request stays on the line meanwhile
        else:
            route.continue_()

    page.route(re.compile(r"/solicitacao/[^/]+/dados"), reter)
    form = page.locator("#assistente form")
    botao = form.get_by_role("button")
    botao.click()
    expect(botao).to_be_disabled()
    expect(botao).to_have_text("Enviando…")
    expect(form).to_have_attribute("aria-busy", "true")

    retidos[0].abort("internetdisconnected")  # the line drops
    expect(form.locator(".falha-envio")).to_contain_text("Sem conexão")
    expect(form.locator(".falha-envio")).to_contain_text("toque no botão de novo")
    expect(form.get_by_role("button", name="Continuar")).to_be_enabled()
    expect(form).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_label("Nome completo")).to_have_value("João Carlos Alves")
    expect(page.get_by_label("Ano", exact=True)).to_have_value("1990")

    page.unroute(re.compile(r"/solicitacao/[^/]+/dados"))
    continuar(page, "Contato")  # the retry goes through


def test_a_page_with_errors_puts_the_focus_on_their_summary(phone):
    """Full-page answers (login, Atribuir) as after htmx swaps; without JavaScript too."""
    phone.goto("/entrar")
    phone.get_by_label("CPF").fill("123.456.789-09")
    phone.get_by_label("Senha").fill("senha-errada")
    phone.get_by_role("button", name="Entrar").click()
    expect(phone.locator(".erro-resumo")).to_be_focused()

    entrar(phone)
    phone.goto("/certificados/lista?situacao=disponivel")
    phone.get_by_role("link", name=re.compile("^Gerenciar certificado")).first.click()
    phone.get_by_role("link", name="Atribuir Certificado").click()
    phone.get_by_label("CPF do titular").fill("123")
    phone.get_by_role("button", name="Atribuir", exact=True).click()
    expect(phone.locator(".erro-resumo")).to_be_focused()


@pytest.fixture
def e2e_config(e2e_config):
    return {**e2e_config, "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_SAMESITE": "None",
            "SESSION_COOKIE_PARTITIONED": True, "EMBED_ORIGINS": ORIGENS}


def test_copying_in_a_frame_without_the_clipboard_selects_the_text(browser, server):
    host = HostSite(server.url, caminho="/entrar", allow="")  # no clipboard-write
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(host.url)
        frame = page.frame_locator("#portal")
        frame.get_by_label("CPF").fill("123.456.789-09")
        frame.get_by_label("Senha").fill("demo12345")
        tocar(frame.get_by_role("button", name="Entrar"))
        expect(frame.get_by_role("heading", name="Área do Cliente", exact=True)).to_be_visible()
        with db.connection_context():
            boleto = Boleto.select().join(ProcessoCompra).where(
                ProcessoCompra.comprador == Conta.get(Conta.cpf == "12345678909")).first()
        quadro = next(f for f in page.frames if f.url.startswith(server.url))
        quadro.goto(f"{server.url}/financeiro/boletos/{boleto.id}")
        expect(frame.locator("#linha-digitavel")).to_be_visible()
        assentar(page, server)
        tocar(frame.get_by_role("button", name="Copiar linha digitável"))
        expect(frame.locator("#linha-digitavel-dica")).to_contain_text("Selecione e copie")
        quadro = next(f for f in page.frames if f.url.startswith(server.url))
        selecionado = quadro.evaluate("getSelection().toString().replace(/\\s+/g, ' ').trim()")
        assert selecionado == frame.locator("#linha-digitavel").inner_text().strip()
    finally:
        context.close()
        host.stop()
