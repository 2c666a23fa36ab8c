"""Propostas comerciais: an organisation asks for a quote addressed to its CNPJ (to open its
process and issue the nota de empenho), downloads it, and contracts it while it is valid:
the purchase is made at the proposta's price, once."""
import secrets
from datetime import timedelta, timezone

from models import Boleto, Contratante, ProcessoCompra, Produto, Proposta, db
from services.contratantes import organizacoes, posse
from services.contratantes.vinculos import contratante_de
from services.nucleo import ciclo_de_vida, correio, formatacao
from services.nucleo.ciclo_de_vida import EstadoAlterado, registrar_evento
from services.nucleo.paginacao import Lista
from services.nucleo.recusas import NaoEncontrado, Recusa
from services.pagamento import boletos, compras, empenho
from services.pagamento.proposta_pdf import PropostaPdfData, render_proposta_pdf
import relogio

VALIDADE_DIAS = 30


class PropostaRecusada(Recusa):
    """No proposta, or no purchase from it, as asked (`campo` names the field, if any)."""


def gerar(conta, quantidade, ator, dia=None):
    """A proposta for `quantidade` certificates at today's price, addressed to the active
    contratante (an organisation: a person buying for themself just buys)."""
    compras.conferir_quantidade(quantidade)
    contratante = Contratante.get_or_none(Contratante.id == contratante_de(conta))
    if contratante is None or not contratante.e_organizacao:
        raise PropostaRecusada("A proposta comercial é para organizações. Para comprar para "
                               "você, continue a compra.", "quantidade")
    produto = Produto.get(Produto.codigo == compras.PRODUTO_CODIGO)
    dia = dia or relogio.hoje()
    with db.atomic():
        proposta = Proposta.create(
            numero=f"t{secrets.token_hex(8)}",  # replaced below, once the id exists
            contratante=contratante, autor=conta,
            codigo_verificacao="-".join(secrets.token_hex(2).upper() for _ in range(4)),
            quantidade=quantidade, valor_unitario_centavos=produto.preco_centavos,
            total_centavos=produto.preco_centavos * quantidade,
            destinatario_nome=contratante.nome,
            destinatario_documento=organizacoes.documento_formatado(contratante),
            destinatario_endereco=organizacoes.endereco_formatado(contratante),
            valida_ate=dia + timedelta(days=VALIDADE_DIAS),
            situacao=ciclo_de_vida.PROPOSTA_ABERTA)
        proposta.numero = f"P{proposta.criada_em.year}{proposta.id:06d}"
        proposta.save()
        registrar_evento(None, "proposta.gerada", ator, contratante_id=contratante.id,
                         detalhes=f"Proposta {proposta.numero}: {quantidade} × "
                                  f"{formatacao.format_brl(produto.preco_centavos)}")
    return proposta


def situacao_exibida(proposta, dia):
    """Key of PROPOSTA_SITUACOES: "vencida" for an open proposta past its validity."""
    if ciclo_de_vida.proposta_aberta(proposta.situacao) and proposta.valida_ate < dia:
        return ciclo_de_vida.PROPOSTA_VENCIDA
    return proposta.situacao


def da_conta(conta, proposta_id):
    """The active contratante's proposta `proposta_id`; anyone else's is a 404."""
    proposta = Proposta.get_or_none((Proposta.id == proposta_id)
                                    & (Proposta.contratante == contratante_de(conta)))
    if proposta is None:
        raise NaoEncontrado()
    return proposta


def por_id(proposta_id):
    """The proposta a signed PDF address names (whoever holds the address may read it)."""
    encontrada = Proposta.get_or_none(Proposta.id == proposta_id)
    if encontrada is None:
        raise NaoEncontrado()
    return encontrada


_DA_CONTRATANTE = Lista(lambda contratante: Proposta.select().where(
    posse.de_contratante(Proposta, contratante)), Proposta.id)


def da_contratante(conta, por_pagina=20, depois=None, antes=None):
    """One page of the active contratante's propostas, newest first (index (contratante, id))."""
    return _DA_CONTRATANTE.pagina([posse.contratante_das_listas(conta)], por_pagina, depois,
                                  antes)


def nome_pdf(proposta):
    return f"proposta-{proposta.numero}.pdf"


def pdf(proposta, beneficiario):
    criada = proposta.criada_em.replace(tzinfo=timezone.utc)
    return render_proposta_pdf(PropostaPdfData(
        numero=proposta.numero, codigo_verificacao=proposta.codigo_verificacao,
        emitida_em=criada.astimezone(relogio.TZ).date(), valida_ate=proposta.valida_ate,
        validade_dias=VALIDADE_DIAS, quantidade=proposta.quantidade,
        valor_unitario_centavos=proposta.valor_unitario_centavos,
        total_centavos=proposta.total_centavos, destinatario_nome=proposta.destinatario_nome,
        destinatario_documento=proposta.destinatario_documento,
        destinatario_endereco=proposta.destinatario_endereco,
        vendedor_nome=beneficiario.nome, vendedor_cnpj=beneficiario.cnpj,
        prazo_dias_uteis=compras.PRAZO_DIAS_UTEIS, criada_em=criada))


# --- "Contratar esta proposta" -----------------------------------------------------------

def conferir_vigente(proposta, dia):
    if ciclo_de_vida.proposta_vencida(situacao_exibida(proposta, dia)):
        raise PropostaRecusada(
            f"Esta proposta venceu em {formatacao.format_date(proposta.valida_ate)} e não pode "
            "mais ser contratada. Gere uma nova proposta.")


def compra_da(proposta):
    """(purchase, its first boleto) of a contracted proposta, or None."""
    processo_id = Proposta.select(Proposta.processo).where(Proposta.id == proposta.id).scalar()
    if processo_id is None:
        return None
    processo = ProcessoCompra.get_by_id(processo_id)
    primeiro = Boleto.select().where(Boleto.processo == processo.id).order_by(Boleto.id).first()
    return processo, primeiro


def contratar(conta, proposta, numero_empenho, arquivo_empenho, beneficiario, ator, dia=None):
    """The purchase of the proposta, at its price: (processo, first boleto, created?).

    The proposta moves to "contratada" first in the transaction (a conditional UPDATE): a
    second submit, even at the same instant, finds the purchase the first one made.
    `numero_empenho` is cleaned already (empenho.limpar_numero); `arquivo_empenho` is the
    checked PDF as (name, bytes), or None.
    """
    dia = dia or relogio.hoje()
    existente = compra_da(proposta)
    if existente:
        return (*existente, False)
    conferir_vigente(proposta, dia)
    try:
        with db.atomic():
            ciclo_de_vida.mover_proposta(proposta, "contratada", ator,
                                         f"Proposta {proposta.numero}")
            processo = compras.criar_processo(
                conta, Produto.get(Produto.codigo == compras.PRODUTO_CODIGO),
                proposta.quantidade, compras.vencimento_inicial(dia), beneficiario, ator,
                valor_unitario_centavos=proposta.valor_unitario_centavos,
                empenho=numero_empenho)
            Proposta.update(processo=processo.id).where(Proposta.id == proposta.id).execute()
            registrar_evento(processo.id, "processo.proposta", ator,
                             detalhes=f"Proposta {proposta.numero}")
            if numero_empenho:
                registrar_evento(processo.id, "empenho.informado", ator, para=numero_empenho,
                                 detalhes=f"Nota de empenho {numero_empenho}")
            if arquivo_empenho:
                empenho.guardar_pdf(processo, *arquivo_empenho, ator)
            boleto = Boleto.get(Boleto.processo == processo.id)
            correio.enfileirar(
                conta.email, f"Compra {processo.numero}: seu boleto", "compra_boleto",
                {"conta": conta, "processo": processo, "produto": processo.produto,
                 "boleto": boleto}, processo=processo.id,
                anexos=[(boletos.nome_pdf(boleto), "application/pdf",
                         boletos.pdf_do_boleto(boleto, beneficiario))])
    except EstadoAlterado:
        existente = compra_da(proposta)
        if existente is None:
            raise
        return (*existente, False)
    return processo, boleto, True
