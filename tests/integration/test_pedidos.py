"""Manual, answer 1: Meus Pedidos → Consulta Processos de Compra → ID Processo Compra (Contrato)."""
import re

import pytest

from models import Conta, ProcessoCompra
from tests.support.http import htmx_headers, tabela, text


def processos_de(cpf):
    conta = Conta.get(Conta.cpf == cpf)
    return list(ProcessoCompra.select().where(ProcessoCompra.comprador == conta)
                .order_by(ProcessoCompra.id))


def test_meus_pedidos_leads_to_consulta_processos_de_compra(maria):
    page = text(maria.get("/pedidos/"))
    assert "Meus Pedidos" in page and "Consulta Processos de Compra" in page


def test_the_list_shows_every_purchase_of_the_buyer_with_its_id(maria, dbconn):
    page = text(maria.get("/pedidos/processos"))
    for processo in processos_de("12345678909"):
        assert processo.numero in page
    assert "ID Processo Compra (Contrato)" in page
    assert "R$ 450,00" in page and "Pago" in page and "Aguardando pagamento" in page


def test_the_list_is_a_table_each_row_marked_for_atribuir_em_lote_and_its_action_on_the_right(
        maria, dbconn):
    response = maria.get("/pedidos/processos")
    cabecalho, linhas = tabela(response)
    assert cabecalho == ["Selecionar", "ID Processo Compra (Contrato)", "Data", "Produto",
                         "Quantidade", "Total", "Situação", "Ação"]
    processos = {p.numero: p for p in processos_de("12345678909")}
    assert sorted(l["celulas"][1] for l in linhas) == sorted(processos)
    for linha in linhas:
        numero = linha["celulas"][1]
        assert linha["caixa"] == ("processo", str(processos[numero].id))
        assert linha["celulas"][-1] == f"Ver andamento do processo {numero}"
    html = response.get_data(as_text=True)
    assert re.search(r'<form method="get" action="/certificados/lote/" class="selecao">', html)
    assert '<button type="submit" class="botao botao-secundario">Atribuir em lote</button>' in html


def test_selecionar_todos_desta_pagina_without_javascript_marks_every_purchase(maria, dbconn):
    assert not any(l["marcada"] for l in tabela(maria.get("/pedidos/processos"))[1])
    _, linhas = tabela(maria.get("/pedidos/processos?todos=1"))
    assert len(linhas) == 4 and all(l["marcada"] for l in linhas)


def test_the_list_never_shows_another_buyers_purchase(maria, dbconn):
    page = text(maria.get("/pedidos/processos"))
    for processo in processos_de("11144477735"):
        assert processo.numero not in page


def test_search_by_id_finds_the_purchase(maria, dbconn):
    alvo = processos_de("12345678909")[1]
    page = text(maria.get(f"/pedidos/processos?q={alvo.numero}"))
    assert "1 processo encontrado" in page and alvo.numero in page


def test_search_with_no_match_says_so(maria, dbconn):
    page = text(maria.get("/pedidos/processos?q=999999"))
    assert "Nenhum processo de compra" in page


def test_search_with_htmx_returns_only_the_results_and_varies(maria, dbconn):
    alvo = processos_de("12345678909")[0]
    response = maria.get(f"/pedidos/processos?q={alvo.numero}", headers=htmx_headers())
    body = response.get_data(as_text=True)
    assert "<html" not in body and alvo.numero in body
    assert "HX-Request" in response.headers["Vary"]


def test_a_history_restore_gets_the_full_page(maria):
    response = maria.get("/pedidos/processos",
                         headers=htmx_headers(**{"HX-History-Restore-Request": "true"}))
    assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 2}])
def test_the_list_is_paginated_newest_first(maria, dbconn):
    todos = [p.numero for p in reversed(processos_de("12345678909"))]
    primeira = maria.get("/pedidos/processos")
    assert "4 processos encontrados" in text(primeira) and "Anterior" not in text(primeira)
    proxima = re.search(r'href="(/pedidos/processos\?depois=\d+)"[^>]*>Próxima', primeira.get_data(
        as_text=True)).group(1)
    segunda = maria.get(proxima)
    assert "Anterior" in text(segunda) and "Próxima" not in text(segunda)
    vistos = [[l["celulas"][1] for l in tabela(r)[1]] for r in (primeira, segunda)]
    assert vistos == [todos[:2], todos[2:]]


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 2}])
@pytest.mark.parametrize("query", ["depois=abc", "depois=-5", "antes=99999999999999999999999",
                                   "pagina=99", "por_pagina=100000", "depois=1"])
def test_garbage_or_out_of_range_cursors_show_a_page_not_an_error(maria, query):
    response = maria.get(f"/pedidos/processos?{query}")
    assert response.status_code == 200
    assert len(tabela(response)[1]) == 2


def test_the_detail_shows_data_certificates_and_andamento(maria, dbconn):
    pago = processos_de("12345678909")[0]
    page = text(maria.get(f"/pedidos/processos/{pago.numero}"))
    assert f"Processo de compra {pago.numero}" in page
    for passo in ("Compra registrada", "Boleto emitido", "Pagamento reconhecido",
                  "Certificado atribuído ao titular", "Emissão solicitada pelo titular",
                  "Certificado aprovado e emitido"):
        assert passo in page
    assert "Pendente de atribuição" in page and "Emitido" in page
    assert "***.982.247-**" in page  # João's CPF, masked
    assert "529.982.247-25" not in page


def test_another_buyers_purchase_answers_404(maria, dbconn):
    alheio = processos_de("11144477735")[0]
    response = maria.get(f"/pedidos/processos/{alheio.numero}")
    assert response.status_code == 404
    assert "Página não encontrada" in text(response)
    assert alheio.numero not in text(response)


def test_an_unknown_purchase_answers_404(maria):
    assert maria.get("/pedidos/processos/000").status_code == 404
