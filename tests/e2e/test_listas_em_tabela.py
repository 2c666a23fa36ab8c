"""Gerenciar Certificados and Consulta Processos de Compra for a buyer with volume (20+
purchases, 20+ certificates). From 768 px they are tables: at 1 280 × 800 at least 15 rows in
view, each row's action "ao lado direito", a box to mark each row and "Selecionar todos desta
página"; a phone keeps the cards. The same HTML for both; JavaScript on and off."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.caixa_smtp import e2e_config, smtp  # noqa: F401  (fixtures: a real SMTP server)
from tests.support.listas import com_volume
from tests.support.navegador import DESKTOP, PHONE, entrar, no_horizontal_scroll, pagina

LISTAS = {"certificados": "/certificados/lista", "processos": "/pedidos/processos"}

# Per data row: fully inside the viewport? is its action to the right of every other cell?
MEDIR_LINHAS = """() => [...document.querySelectorAll('table.tabela-lista tbody tr')].map(tr => {
  const r = tr.getBoundingClientRect();
  const acao = tr.querySelector('.col-acao a').getBoundingClientRect();
  const outras = [...tr.querySelectorAll('td:not(.col-acao)')]
    .map(td => td.getBoundingClientRect().right);
  return {visivel: r.top >= 0 && r.bottom <= window.innerHeight,
          aDireita: acao.left >= Math.max(...outras) - 0.5 && acao.right <= window.innerWidth};
})"""


@pytest.fixture
def volume(server):
    return com_volume(server.app)


@pytest.mark.parametrize("lista", LISTAS)
def test_at_1280x800_the_first_screen_shows_12_rows_each_with_its_action_on_the_right(
        browser, server, volume, lista):
    """Measured as the page opens, without scrolling: the first screen is the list."""
    with pagina(browser, server.url, DESKTOP) as page:
        entrar(page)
        page.goto(LISTAS[lista])
        assert page.evaluate("window.scrollY") == 0
        linhas = page.evaluate(MEDIR_LINHAS)
        sem_rolar = sum(linha["visivel"] for linha in linhas)
        print(f"\n{lista} a 1280×800: {len(linhas)} linhas na página, {sem_rolar} visíveis "
              "sem rolar")
        assert len(linhas) == 20 and sem_rolar >= 12
        assert all(linha["aDireita"] for linha in linhas)


@pytest.mark.parametrize("lista", LISTAS)
def test_no_horizontal_scroll_at_768_1024_and_1280_px_and_the_action_stays_on_the_right(
        browser, server, volume, lista):
    with pagina(browser, server.url, DESKTOP) as page:
        entrar(page)
        page.goto(LISTAS[lista])
        for largura, altura in ((768, 1024), (1024, 768), (1280, 800)):
            page.set_viewport_size({"width": largura, "height": altura})
            assert no_horizontal_scroll(page), f"{lista} scrolls sideways at {largura} px"
            assert all(linha["aDireita"] for linha in page.evaluate(MEDIR_LINHAS)), largura


@pytest.mark.parametrize("lista", LISTAS)
def test_a_phone_keeps_the_cards_with_their_labels(browser, server, volume, lista):
    with pagina(browser, server.url, PHONE) as page:
        entrar(page)
        page.goto(LISTAS[lista])
        cartoes = page.evaluate("""() => [...document.querySelectorAll(
            'table.tabela-lista tbody tr')].map(tr => ({
          bloco: getComputedStyle(tr).display === 'block',
          rotulos: [...tr.querySelectorAll('td[data-rotulo]')].map(
            td => getComputedStyle(td, '::before').content),
          caixa: tr.querySelector('label.marcar').getBoundingClientRect().height,
        }))""")
        assert len(cartoes) == 20
        for cartao in cartoes:
            assert cartao["bloco"]
            assert cartao["rotulos"][:1] == ['"ID Processo Compra (Contrato)"']
            assert '"Situação"' in cartao["rotulos"]
            assert cartao["caixa"] >= 44  # "Selecionar", easy to tap
        expect(page.locator("table.tabela-lista thead")).to_have_css("height", "1px")
        assert no_horizontal_scroll(page)


def test_a_phone_card_keeps_the_holders_e_mail_in_the_titular_cell_whole(browser, server,
                                                                        volume):
    """The masked e-mail sits under the CPF in the value column of "Titular", and breaks, if
    at all, only before the @ (never "ro***@exampl e.com")."""
    with pagina(browser, server.url, PHONE) as page:
        entrar(page)
        page.goto(LISTAS["certificados"] + "?situacao=atribuido")
        celulas = page.evaluate("""() => [...document.querySelectorAll(
            'td[data-rotulo="Titular"]')].filter(td => td.querySelector('.email')).map(td => {
          const email = td.querySelector('.email');
          const faixa = document.createRange();
          faixa.selectNodeContents(email);
          const linhas = new Set([...faixa.getClientRects()].map(r => Math.round(r.top)));
          const depoisDaArroba = document.createRange();
          depoisDaArroba.setStart(email.lastChild, 0);
          depoisDaArroba.setEnd(email.lastChild, email.lastChild.length);
          return {itens: td.children.length, linhas: linhas.size,
                  dominioNumaLinha: new Set([...depoisDaArroba.getClientRects()].map(
                    r => Math.round(r.top))).size === 1,
                  naColunaDoValor: email.getBoundingClientRect().left
                    > td.getBoundingClientRect().left + 40};
        })""")
        assert celulas, "no assigned certificate on the page"
        for celula in celulas:
            assert celula["itens"] == 1 and celula["naColunaDoValor"], celula
            assert celula["linhas"] <= 2 and celula["dominioNumaLinha"], celula


def test_selecionar_todos_desta_pagina_marks_every_box(desktop, server, volume):
    entrar(desktop)
    desktop.goto(LISTAS["certificados"])
    caixas = desktop.locator("table.tabela-lista tbody input[type=checkbox]")
    expect(caixas).to_have_count(20)
    if desktop.js:
        desktop.evaluate("window.semRecarregar = true")
    desktop.get_by_role("link", name="Selecionar todos desta página").click()
    for i in range(20):
        expect(caixas.nth(i)).to_be_checked()
    if desktop.js:
        # Marked in place: no reload, and the link now offers to undo.
        assert desktop.evaluate("window.semRecarregar") is True
        expect(desktop).not_to_have_url(re.compile("todos=1"))
        desktop.get_by_role("link", name="Desmarcar todos desta página").click()
        for i in range(20):
            expect(caixas.nth(i)).not_to_be_checked()
    else:
        expect(desktop).to_have_url(re.compile(r"/certificados/lista\?todos=1$"))


def test_reenviar_links_sends_the_two_marked_and_returns_to_the_list(
        desktop, server, volume, smtp):  # noqa: F811
    primeiro, segundo, _ = volume["aguardando"]
    entrar(desktop)
    desktop.goto(LISTAS["certificados"])
    desktop.get_by_label("Situação").select_option("atribuido")
    if not desktop.js:
        desktop.get_by_role("button", name="Filtrar").click()
    expect(desktop).to_have_url(re.compile(r"situacao=atribuido"))
    desktop.get_by_label(f"Selecionar certificado {primeiro}").check()
    desktop.get_by_label(f"Selecionar certificado {segundo}").check()
    desktop.get_by_role("button", name="Reenviar links").click()
    expect(desktop.locator(".aviso-sucesso")).to_contain_text("Enviamos 2 links novos")
    expect(desktop).to_have_url(re.compile(r"/certificados/lista\?situacao=atribuido$"))
    expect(desktop.get_by_role("heading", name="Gerenciar Certificados")).to_be_visible()
    assert smtp.link_para("titular0@orgao.gov.br") and smtp.link_para("titular1@orgao.gov.br")
    assert sorted(m["To"] for m in smtp.mensagens) == ["titular0@orgao.gov.br",
                                                       "titular1@orgao.gov.br"]


def test_atribuir_em_lote_from_consulta_processos_opens_with_the_marked_purchase_chosen(
        desktop, server, volume):
    entrar(desktop)
    desktop.goto(LISTAS["processos"])
    desktop.get_by_label(f"Selecionar processo {volume['processo']}").check()
    desktop.get_by_role("button", name="Atribuir em lote").click()
    expect(desktop.get_by_role("heading", name="Atribuir em lote", exact=True)).to_be_visible()
    expect(desktop.get_by_role("checkbox", name=f"Compra {volume['processo']} — ")).to_be_checked()
    expect(desktop.locator("input[name=processo]:checked")).to_have_count(1)


@pytest.mark.parametrize("tela", ["desktop", "phone"])
def test_both_lists_have_no_accessibility_violations(browser, server, volume, tela):
    from axe_playwright_python.sync_playwright import Axe

    with pagina(browser, server.url, DESKTOP if tela == "desktop" else PHONE) as page:
        entrar(page)
        for url in (*LISTAS.values(), LISTAS["certificados"] + "?situacao=todos&todos=1"):
            page.goto(url)
            resultado = Axe().run(page)
            assert resultado.violations_count == 0, (url, resultado.generate_report())
