"""Size and query budgets: figures are printed (run with -s to read them) and checked."""
import gzip
import logging
import re
from datetime import timedelta

import pytest

from models import Conta
from services.pagamento import boletos
from services.pagamento import compras
from services.nucleo.ciclo_de_vida import Ator
from relogio import hoje

PAGE_BUDGET = 14 * 1024  # each page's HTML, compressed
FIRST_VISIT_BUDGET = 35 * 1024  # HTML + CSS + JS of a first visit, compressed


def compressed_size(client, url, **kw):
    response = client.get(url, headers={"Accept-Encoding": "gzip"}, **kw)
    assert response.status_code == 200, url
    body = response.get_data()
    if response.headers.get("Content-Encoding") != "gzip":
        body = gzip.compress(body)
    return len(body), response


PAGES = ["/", "/pedidos/", "/pedidos/processos"]


def test_each_page_fits_14kb_compressed(maria, dbconn):
    from models import ProcessoCompra

    numero = ProcessoCompra.select().first().numero
    for url in PAGES + [f"/pedidos/processos/{numero}"]:
        size, _ = compressed_size(maria, url)
        print(f"{url}: {size} bytes compressed")
        assert size <= PAGE_BUDGET, url


def test_first_visit_fits_35kb_compressed(client, demo):
    size, _ = compressed_size(client, "/entrar")
    total = size
    html = client.get("/entrar").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(a.endswith(".css") or ".css?" in a for a in assets)
    for asset in assets:
        asset_size, asset_response = compressed_size(client, asset)
        assert asset_response.headers["Cache-Control"].endswith("immutable")
        print(f"{asset}: {asset_size} bytes compressed")
        total += asset_size
    print(f"first visit: {total} bytes compressed (budget {FIRST_VISIT_BUDGET})")
    assert total <= FIRST_VISIT_BUDGET


class QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


@pytest.fixture
def count_queries():
    logger = logging.getLogger("peewee")
    handler = QueryCounter()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def run(client, url):
        handler.count = 0
        assert client.get(url).status_code == 200
        return handler.count

    yield run
    logger.removeHandler(handler)
    logger.setLevel(previous)


def add_purchases(n):
    maria = Conta.get(Conta.cpf == "12345678909")
    produto = compras.garantir_produto(15000)
    beneficiario = boletos.Beneficiario("B", "00", "001", "1234567", "17")
    return [compras.criar_processo(maria, produto, 2, hoje() + timedelta(days=3),
                                   beneficiario, Ator("t")) for _ in range(n)]


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 50}])
def test_the_purchase_list_costs_the_same_queries_for_3_or_30_purchases(maria, dbconn,
                                                                        count_queries):
    poucos = count_queries(maria, "/pedidos/processos")
    add_purchases(27)
    muitos = count_queries(maria, "/pedidos/processos")
    print(f"/pedidos/processos: {poucos} queries with 3 purchases, {muitos} with 30")
    assert poucos == muitos


def test_the_purchase_detail_costs_the_same_queries_whatever_its_size(maria, dbconn,
                                                                     count_queries):
    pequeno, grande = add_purchases(1)[0], None
    maria_conta = Conta.get(Conta.cpf == "12345678909")
    produto = compras.garantir_produto(15000)
    grande = compras.criar_processo(maria_conta, produto, 40, hoje(),
                                    boletos.Beneficiario("B", "00", "001", "1234567", "17"),
                                    Ator("t"))
    a = count_queries(maria, f"/pedidos/processos/{pequeno.numero}")
    b = count_queries(maria, f"/pedidos/processos/{grande.numero}")
    print(f"purchase detail: {a} queries with 2 certificates, {b} with 40")
    assert a == b


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 50}])
def test_financeiro_costs_the_same_queries_for_4_or_40_boletos(maria, dbconn, count_queries):
    poucos = count_queries(maria, "/financeiro/")
    add_purchases(36)
    muitos = count_queries(maria, "/financeiro/")
    assert maria.get("/financeiro/").get_data(as_text=True).count('class="cartao"') == 40
    print(f"/financeiro/: {poucos} queries with 4 boletos, {muitos} with 40")
    assert poucos == muitos


def test_financeiro_fits_14kb_compressed_with_a_full_page_of_boletos(maria, dbconn):
    add_purchases(20)
    size, _ = compressed_size(maria, "/financeiro/")
    print(f"/financeiro/ with a full page: {size} bytes compressed")
    assert size <= PAGE_BUDGET
