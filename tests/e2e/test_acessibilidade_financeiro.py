"""The purchase, Financeiro and Pagamentos pages pass axe-core (WCAG A/AA rules)."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.navegador import PHONE, entrar
from tests.e2e.test_compra_boleto import boleto_de_maria


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.url, **PHONE)
    yield context.new_page()
    context.close()


def violations(page):
    result = Axe().run(page)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]


def test_buyer_pages_have_no_axe_violations(page):
    vencido = boleto_de_maria(vencido=True)
    page.goto("/solicite-agora/")
    assert violations(page) == []
    entrar(page)
    for url in ("/solicite-agora/confirmar?quantidade=2", "/financeiro/",
                f"/financeiro/boletos/{vencido.id}", f"/financeiro/boletos/{vencido.id}/novo"):
        page.goto(url)
        assert violations(page) == [], url
    page.get_by_role("button", name="Gerar novo Boleto").click()  # the page with errors
    assert violations(page) == []


def test_agent_page_has_no_axe_violations(page):
    boleto = boleto_de_maria(vencido=False)
    entrar(page, "987.654.321-00", "agente12345")
    page.goto(f"/pagamentos/?q={boleto.nosso_numero}")
    assert violations(page) == []
