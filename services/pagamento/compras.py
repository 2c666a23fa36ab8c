"""Purchases: "Solicite agora" (once per form), and cancelling what was not paid in time.

Boletos live in `services/boletos.py`, payments in `services/pagamentos.py`."""
import re
import secrets
from datetime import date, timedelta

from peewee import IntegrityError, fn

from models import Boleto, Certificado, Conta, ProcessoCompra, Produto, db
from services.agendamento import calendario
from services.contratantes import posse
from services.contratantes.vinculos import contratante_de
from services.pagamento import boletos
from services.nucleo import formatacao
from services.nucleo import ciclo_de_vida
from services.nucleo import correio
import relogio
from services.pagamento.boletos import JANELA_DIAS
from services.nucleo.ciclo_de_vida import SISTEMA, EstadoAlterado, registrar_evento
from services.nucleo.recusas import Recusa
from relogio import utcnow

PRODUTO_CODIGO = "ecpf-a1-1ano"


def garantir_produto(preco_centavos):
    """The one product sold here (created once; the price follows configuration)."""
    produto, created = Produto.get_or_create(
        codigo=PRODUTO_CODIGO,
        defaults={
            "nome": "Certificado Digital e-CPF A1 — 1 ano",
            "descricao": "Certificado de pessoa física, arquivo instalado no computador, "
                         "válido por 12 meses.",
            "preco_centavos": preco_centavos,
            "validade_meses": 12,
        },
    )
    if not created and produto.preco_centavos != preco_centavos:
        produto.preco_centavos = preco_centavos
        produto.save()
    return produto


def criar_processo(conta, produto, quantidade, vencimento, beneficiario, ator,
                   chave_idempotencia=None, valor_unitario_centavos=None, empenho=""):
    """A purchase with its certificates waiting for payment and its first boleto; at the
    product's price, or at a proposta's (`valor_unitario_centavos`)."""
    unitario = (produto.preco_centavos if valor_unitario_centavos is None
                else valor_unitario_centavos)
    with db.atomic():
        processo = ProcessoCompra.create(
            numero=f"t{secrets.token_hex(8)}",  # replaced below, once the id exists
            contratante=contratante_de(conta), comprador=conta, produto=produto,
            quantidade=quantidade, valor_unitario_centavos=unitario,
            total_centavos=unitario * quantidade, empenho=empenho,
            situacao="aguardando_pagamento", chave_idempotencia=chave_idempotencia,
        )
        # The contract number is the year plus the row id: short, unique, easy to read out.
        processo.numero = f"{processo.criado_em.year}{processo.id:06d}"
        processo.save()
        Certificado.insert_many([
            {"processo": processo.id, "contratante": processo.contratante_id,
             "numero": f"{processo.numero}-{i:02d}",
             "situacao": "aguardando_pagamento", "atualizado_em": utcnow()}
            for i in range(1, quantidade + 1)
        ]).execute()
        registrar_evento(processo.id, "processo.criado", ator,
                         detalhes=f"{quantidade} × {produto.nome}")
        boletos.emitir_boleto(processo, vencimento, beneficiario, ator)
    return processo


# --- buying ("Solicite agora") -----------------------------------------------------------

PRAZO_DIAS_UTEIS = 3  # the first boleto is due on the 3rd business day after the purchase
QUANTIDADE_MAXIMA = 100


def vencimento_inicial(dia):
    """The 3rd business day after `dia` (national holidays and weekends skipped)."""
    return calendario.dias_uteis_adiante(dia + timedelta(days=1), PRAZO_DIAS_UTEIS)[-1]


class CompraRecusada(Recusa):
    """The purchase cannot be made as submitted (`campo` "quantidade" or "chave")."""


def conferir_quantidade(quantidade):
    if not 1 <= quantidade <= QUANTIDADE_MAXIMA:
        raise CompraRecusada(f"A quantidade deve ser de 1 a {QUANTIDADE_MAXIMA} certificados.",
                             "quantidade")
    return quantidade


def ler_quantidade(texto):
    """The quantity typed on "Solicite agora" (ValueError / CompraRecusada otherwise)."""
    texto = (texto or "").strip()
    if not texto:
        raise ValueError("Informe a quantidade de certificados.")
    if not re.fullmatch(r"[0-9]{1,3}", texto):
        raise ValueError(f"Informe a quantidade em números, de 1 a {QUANTIDADE_MAXIMA}.")
    return conferir_quantidade(int(texto))


def comprar(conta, quantidade, chave, beneficiario, ator, dia=None):
    """Create the purchase once per idempotency `chave`: (processo, its boleto, created?).

    A second submit of the same form (double click, Back + resend, two workers) finds the
    purchase the first one made instead of buying again.
    """
    conferir_quantidade(quantidade)
    existente = _compra_da_chave(conta, chave)
    if existente:
        return (*existente, False)
    produto = Produto.get(Produto.codigo == PRODUTO_CODIGO)
    vencimento = vencimento_inicial(dia or relogio.hoje())
    try:
        with db.atomic():
            processo = criar_processo(conta, produto, quantidade, vencimento, beneficiario, ator,
                                      chave_idempotencia=chave)
            boleto = Boleto.get(Boleto.processo == processo.id)
            correio.enfileirar(
                conta.email, f"Compra {processo.numero}: seu boleto", "compra_boleto",
                {"conta": conta, "processo": processo, "produto": produto, "boleto": boleto},
                processo=processo.id,
                anexos=[(boletos.nome_pdf(boleto), "application/pdf",
                        boletos.pdf_do_boleto(boleto, beneficiario))],
            )
    except IntegrityError:
        existente = _compra_da_chave(conta, chave)
        if existente is None:
            raise
        return (*existente, False)
    return processo, boleto, True


def _compra_da_chave(conta, chave):
    processo = ProcessoCompra.get_or_none(ProcessoCompra.chave_idempotencia == chave)
    if processo is None:
        return None
    if not posse.e_dele(conta, processo):
        raise CompraRecusada("Este formulário não é seu. Recarregue a página e confirme de novo.",
                             "chave")
    primeiro = (Boleto.select().where(Boleto.processo == processo.id)
                .order_by(Boleto.id).first())
    return processo, primeiro


# --- cancelling what was not paid in time ------------------------------------------------

def cancelar_vencidos(dia=None, ator=SISTEMA):
    """Cancel purchases still unpaid after the window (original due date + 10 days).

    Runs daily (jobs.cancelar_compras_vencidas) and by `flask pagamentos cancelar-vencidos`.
    Returns the cancelled purchases; one that got paid meanwhile is left alone.
    """
    dia = dia or relogio.hoje()
    limite = dia - timedelta(days=JANELA_DIAS)
    candidatos = (ProcessoCompra.select().join(Boleto)
                  .where((ProcessoCompra.situacao == ciclo_de_vida.PROCESSO_AGUARDANDO_PAGAMENTO)
                         & (Boleto.vencimento_original < limite))
                  .distinct().order_by(ProcessoCompra.id))
    cancelados = []
    for processo in candidatos:
        try:
            with db.atomic():
                original = (Boleto.select(fn.MIN(Boleto.vencimento_original))
                            .where(Boleto.processo == processo.id).scalar())
                if isinstance(original, str):  # SQLite hands an aggregate back as text
                    original = date.fromisoformat(original)
                motivo = (f"Boleto não pago até {formatacao.format_date(original + timedelta(days=JANELA_DIAS))}"
                          f" ({JANELA_DIAS} dias após o vencimento original).")
                ciclo_de_vida.mover_processo(processo, "cancelado", ator, motivo)
                for boleto in Boleto.select().where(
                        (Boleto.processo == processo.id)
                        & (Boleto.situacao == ciclo_de_vida.BOLETO_EM_ABERTO)):
                    ciclo_de_vida.mover_boleto(boleto, "cancelado", ator, motivo)
                for certificado in Certificado.select().where(
                        (Certificado.processo == processo.id)
                        & (Certificado.situacao == ciclo_de_vida.AGUARDANDO_PAGAMENTO)):
                    ciclo_de_vida.mover_certificado(certificado, "cancelar", ator, motivo)
                comprador = Conta.get_by_id(processo.comprador_id)
                correio.enfileirar(comprador.email, f"Compra {processo.numero} cancelada",
                                "compra_cancelada",
                                {"conta": comprador, "processo": processo, "original": original},
                                processo=processo.id)
        except EstadoAlterado:
            continue  # paid (or cancelled) by someone else in the meantime
        cancelados.append(processo)
    return cancelados
