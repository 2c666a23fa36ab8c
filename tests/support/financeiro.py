"""Finding the demo's records the way a test needs them."""
from datetime import timedelta

from models import Boleto, Conta, ProcessoCompra, db
from services.pagamento import boletos
from services.pagamento import compras
from services.pagamento import pagamentos
from services.nucleo.ciclo_de_vida import Ator
from relogio import hoje

MARIA_CPF = "12345678909"
JOSE_CPF = "11144477735"


def conta(cpf=MARIA_CPF):
    return Conta.get(Conta.cpf == cpf)


def boleto_vencido(cpf=MARIA_CPF):
    """Demo purchase B: one certificate, its boleto overdue by 3 days."""
    return (Boleto.select().join(ProcessoCompra)
            .where((ProcessoCompra.comprador == conta(cpf).id)
                   & (Boleto.situacao == "em_aberto") & (Boleto.vencimento < hoje()))
            .get())


def boleto_em_dia(cpf=MARIA_CPF):
    return (Boleto.select().join(ProcessoCompra)
            .where((ProcessoCompra.comprador == conta(cpf).id)
                   & (Boleto.situacao == "em_aberto") & (Boleto.vencimento >= hoje()))
            .order_by(Boleto.id).get())


def boleto_pago(cpf=MARIA_CPF):
    return (Boleto.select().join(ProcessoCompra)
            .where((ProcessoCompra.comprador == conta(cpf).id) & (Boleto.situacao == "pago"))
            .get())


def nova_compra(app, vencimento, quantidade=1, cpf=MARIA_CPF):
    """A purchase whose first boleto is due on `vencimento` (past or future)."""
    comprador = conta(cpf)
    produto = compras.garantir_produto(app.config["PRECO_CENTAVOS"])
    with db.atomic():
        return compras.criar_processo(comprador, produto, quantidade, vencimento,
                                      boletos.Beneficiario.from_config(app.config),
                                      Ator(comprador.nome, comprador.id))


def dias(n):
    return hoje() + timedelta(days=n)


def compra_paga(app, quantidade, cpf=MARIA_CPF):
    """A paid purchase: its `quantidade` certificates are pending assignment."""
    from services.nucleo.ciclo_de_vida import SISTEMA

    processo = nova_compra(app, dias(3), quantidade, cpf)
    boleto = processo.boletos.get()
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje(), "agente",
                                    f"teste-{boleto.nosso_numero}", SISTEMA, avisar=False)
    return processo
