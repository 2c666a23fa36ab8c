"""Manual, answer 1: Área do Cliente → Meus Pedidos → Consulta Processos de Compra →
identify the ID Processo Compra (Contrato) → see its progress."""
import re

from playwright.sync_api import expect

from tests.support.navegador import entrar, no_horizontal_scroll
from models import ProcessoCompra, Conta, db


def numero_processo_pago(server):
    with db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        return (ProcessoCompra.select().where((ProcessoCompra.comprador == maria)
                                              & (ProcessoCompra.situacao == "pago"))
                .order_by(ProcessoCompra.id).first().numero)


def test_buyer_follows_a_purchase_from_meus_pedidos(phone, server):
    numero = numero_processo_pago(server)
    entrar(phone)
    phone.get_by_role("link", name="Meus Pedidos").first.click()
    expect(phone.get_by_role("heading", name="Meus Pedidos")).to_be_visible()
    phone.get_by_role("link", name="Consulta Processos de Compra").click()
    expect(phone.get_by_role("heading", name="Consulta Processos de Compra")).to_be_visible()

    phone.get_by_label("ID Processo Compra (Contrato)").fill(numero)
    if phone.js:
        # Active search: the list narrows in place and the URL keeps the search.
        expect(phone.locator("#resultados tbody tr")).to_have_count(1)
        expect(phone).to_have_url(re.compile(rf"q={numero}"))
    else:
        phone.get_by_role("button", name="Buscar").click()
        expect(phone.locator("#resultados tbody tr")).to_have_count(1)

    phone.get_by_role("link", name=numero, exact=True).click()
    expect(phone.get_by_role("heading", name=f"Processo de compra {numero}")).to_be_visible()
    andamento = phone.locator(".linha-do-tempo")
    expect(andamento).to_contain_text("Compra registrada")
    expect(andamento).to_contain_text("Pagamento reconhecido")
    expect(andamento).to_contain_text("Certificado aprovado e emitido")
    expect(phone.locator(".cartoes")).to_contain_text("Pendente de atribuição")
    expect(phone.locator(".cartoes")).to_contain_text("Aguardando solicitação do titular")
    expect(phone.locator(".cartoes")).to_contain_text("Emitido")
    assert no_horizontal_scroll(phone)


def test_wrong_password_keeps_the_cpf_and_says_why(phone, server):
    entrar(phone, senha="errada")
    expect(phone.locator(".erro-resumo")).to_contain_text("CPF ou senha inválidos")
    expect(phone.get_by_label("CPF")).to_have_value("123.456.789-09")
    expect(phone).to_have_title(re.compile(r"^Erro: "))
