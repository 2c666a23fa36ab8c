""""Exportar" on Gerenciar Certificados, Consulta Processos de Compra, Atividades and
Financeiro (for accounting): the
current filter as rows, read in keyset chunks (WHERE id > last) so memory stays flat at
100 000 rows.

The CPF and e-mail are masked as on screen (LGPD); `data_hora` formats a UTC datetime the
way pages do (Brasília time).
"""
from peewee import JOIN, fn

from models import Boleto, Certificado, Evento, ProcessoCompra, Produto, Proposta
from services.contratantes import atividades as consulta_atividades
from services.contratantes import posse
from services.titular import andamento
from services.nucleo import formatacao, paginacao
from services.titular import certificados as consulta_certificados
from services.pagamento import notas_fiscais
from services.pagamento import processos as consulta_processos
from services.nucleo.ciclo_de_vida import (BOLETO_SITUACOES, CERTIFICADO_SITUACOES,
                                           EM_ANDAMENTO, PROCESSO_SITUACOES, boleto_pago)

BLOCO = 1000

CABECALHO_CERTIFICADOS = ["ID Processo Compra", "Certificado", "Titular (CPF)",
                          "Titular (e-mail)", "Situação", "Data da compra", "Atualizado em",
                          "Último andamento", "Data do último andamento"]
CABECALHO_PROCESSOS = ["ID Processo Compra", "Produto", "Quantidade", "Valor total",
                       "Situação", "Data da compra", "Pago em", "Último andamento",
                       "Data do último andamento"]
# Financeiro for accounting: (column, its value for a boleto `b` with its purchase, the number
# of the purchase's nota fiscal, and `data_hora`). A column is one line here.
COLUNAS_FINANCEIRO = [
    ("ID Processo Compra (Contrato)", lambda b, nota, data_hora: b.processo.numero),
    ("Proposta", lambda b, nota, data_hora: _proposta(b.processo)),
    ("Nota de empenho", lambda b, nota, data_hora: b.processo.empenho or ""),
    ("Boleto", lambda b, nota, data_hora: b.numero_documento),
    ("Vencimento", lambda b, nota, data_hora: formatacao.format_date(b.vencimento)),
    ("Pago em", lambda b, nota, data_hora: data_hora(b.pago_em) if b.pago_em else ""),
    ("Valor", lambda b, nota, data_hora: formatacao.format_brl(b.valor_centavos)),
    ("Situação", lambda b, nota, data_hora: BOLETO_SITUACOES.get(b.situacao, b.situacao)),
    # The nota is the paid boleto's: a replaced or cancelled one did not settle anything.
    ("Nota fiscal", lambda b, nota, data_hora: nota if boleto_pago(b.situacao) else ""),
]
CABECALHO_FINANCEIRO = [nome for nome, _ in COLUNAS_FINANCEIRO]
CABECALHO_ATIVIDADES = ["Data e hora (Brasília)", "Pessoa", "O que",
                        "ID Processo Compra (Contrato)", "Certificado"]


def _em_blocos(query, campo_id):
    """Every row of `query`, BLOCO at a time, by ascending id (keyset, no OFFSET)."""
    ultimo = 0
    while True:
        bloco = list(query.where(campo_id > ultimo).order_by(campo_id).limit(BLOCO))
        if not bloco:
            return
        yield bloco
        ultimo = bloco[-1].id


def _ultimos_eventos(campo, ids):
    """{id: the newest Evento} for certificate or purchase ids (two queries per chunk)."""
    ultimos = Evento.select(fn.MAX(Evento.id)).where(campo.in_(ids)).group_by(campo)
    eventos = Evento.select().where(Evento.id.in_(ultimos))
    return {getattr(e, campo.name + "_id"): e for e in eventos}


def certificados(conta, filtro, data_hora):
    query = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
             .where(posse.escopo_processos(conta)))
    if filtro == consulta_certificados.EM_ANDAMENTO_FILTRO:
        query = query.where(Certificado.situacao.in_(EM_ANDAMENTO))
    elif filtro != consulta_certificados.TODOS:
        query = query.where(Certificado.situacao == filtro)
    for bloco in _em_blocos(query, Certificado.id):
        eventos = _ultimos_eventos(Evento.certificado, [c.id for c in bloco])
        for c in bloco:
            evento = eventos.get(c.id)
            yield [c.processo.numero, c.numero,
                   formatacao.mask_cpf(c.titular_cpf) if c.titular_cpf else "",
                   formatacao.mask_email(c.titular_email) if c.titular_email else "",
                   CERTIFICADO_SITUACOES.get(c.situacao, c.situacao),
                   data_hora(c.processo.criado_em), data_hora(c.atualizado_em),
                   andamento.titulo(evento) if evento else "",
                   data_hora(evento.criado_em) if evento else ""]


def processos(conta, busca, data_hora):
    query = (ProcessoCompra.select(ProcessoCompra, Produto).join(Produto)
             .where(posse.escopo_processos(conta)))
    termo = consulta_processos.normalizar_busca(busca)
    if termo:
        query = query.where(ProcessoCompra.numero.contains(termo))
    for bloco in _em_blocos(query, ProcessoCompra.id):
        eventos = _ultimos_eventos(Evento.processo, [p.id for p in bloco])
        for p in bloco:
            evento = eventos.get(p.id)
            yield [p.numero, p.produto.nome, p.quantidade,
                   formatacao.format_brl(p.total_centavos),
                   PROCESSO_SITUACOES.get(p.situacao, p.situacao),
                   data_hora(p.criado_em), data_hora(p.pago_em) if p.pago_em else "",
                   andamento.titulo(evento) if evento else "",
                   data_hora(evento.criado_em) if evento else ""]


def atividades(contratante_id, filtro, data_hora):
    """The Atividades list under `filtro`, oldest first (two primary-key reads per chunk)."""
    query = Evento.select().where(consulta_atividades.condicao(contratante_id, filtro))
    for bloco in _em_blocos(query, Evento.id):
        for campo, model in consulta_atividades.ANEXOS:
            paginacao.anexar(bloco, campo, model)
        for e in bloco:
            yield [data_hora(e.criado_em), e.ator, consulta_atividades.o_que(e),
                   e.processo.numero if e.processo else "",
                   e.certificado.numero if e.certificado else ""]


def _proposta(processo):
    proposta = getattr(processo, "proposta", None)
    return proposta.numero if proposta is not None and proposta.id else ""


def financeiro(conta, data_hora):
    """Every boleto of the active contratante, oldest first, as Financeiro for accounting;
    the proposta a purchase came from is read in the same query."""
    query = (Boleto.select(Boleto, ProcessoCompra, Proposta).join(ProcessoCompra)
             .join(Proposta, JOIN.LEFT_OUTER, on=(Proposta.processo == ProcessoCompra.id),
                   attr="proposta")
             .where(posse.escopo_boletos(conta)))
    for bloco in _em_blocos(query, Boleto.id):
        notas = notas_fiscais.vigentes([b.processo_id for b in bloco])
        for b in bloco:
            nota = notas.get(b.processo_id)
            yield [valor(b, nota.numero if nota else "", data_hora)
                   for _, valor in COLUNAS_FINANCEIRO]
