"""Atribuir em lote: a spreadsheet of assignments is checked line by line (the preview,
services.titular.lotes_conferencia), stored as rows, then applied by a background job
through `services.atribuicoes` — the same gate as the single form — each line in its own
transaction.

A line is marked `aplicada` in the transaction that assigns its certificate, so running the
job twice (a retry, a double click) assigns nothing twice, and a crash midway leaves each
line either applied with its e-mail queued, or still `valida`.
"""
from peewee import fn

from models import Certificado, Lote, LoteLinha, ProcessoCompra, db
from services.contratantes import posse, vinculos
from services.titular import atribuicoes
from services.nucleo import formatacao
from services.nucleo import correio
from services.nucleo import ciclo_de_vida
from services.nucleo.ciclo_de_vida import TransicaoInvalida, origens, pode
from services.titular.lotes_conferencia import (LOTE_SQL, Linha, blocos, conferir,
                                                cpf_da_planilha, preenchida, situacao_recusada)
from services.titular.planilhas import LISTA, MODELO
from services.nucleo.recusas import Recusa
from relogio import utcnow

# The lines' and the batch's states, under the short names this module (and its views) use.
VALIDA, ERRO, APLICADA, FALHOU = (ciclo_de_vida.LINHA_VALIDA, ciclo_de_vida.LINHA_ERRO,
                                  ciclo_de_vida.LINHA_APLICADA, ciclo_de_vida.LINHA_FALHOU)
PREVIA, APLICANDO, CONCLUIDO = (ciclo_de_vida.LOTE_PREVIA, ciclo_de_vida.LOTE_APLICANDO,
                                ciclo_de_vida.LOTE_CONCLUIDO)

class LoteRecusado(Recusa):
    """The batch as a whole cannot be previewed: the uploaded file is at fault."""

    def __init__(self, mensagem):
        super().__init__(mensagem, "arquivo")


# --- which certificates a buyer may assign ------------------------------------------------

def pendentes(conta, acao="atribuir", processos=None):
    """The buyer's certificates waiting for `acao`, oldest purchase first."""
    query = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
             .where(posse.escopo_processos(conta)
                    & (Certificado.situacao.in_(origens(acao)))))
    if processos is not None:
        query = query.where(ProcessoCompra.id.in_(processos))
    return query.order_by(ProcessoCompra.criado_em, ProcessoCompra.id, Certificado.numero)


def compras_com_pendentes(conta, acao="atribuir"):
    """[(ProcessoCompra, number of certificates waiting for `acao`)], oldest first."""
    n = fn.COUNT(Certificado.id)
    return [(p, p.n) for p in (
        ProcessoCompra.select(ProcessoCompra, n.alias("n")).join(Certificado)
        .where(posse.escopo_processos(conta)
               & (Certificado.situacao.in_(origens(acao))))
        .group_by(ProcessoCompra.id).order_by(ProcessoCompra.criado_em, ProcessoCompra.id))]


def modelo_linhas(conta, acao="atribuir"):
    """The model sheet's lines: one per pending certificate, CPF and e-mail left empty."""
    for c in pendentes(conta, acao).iterator():
        yield [c.processo.numero, c.numero, "", "", "", ""]


# --- the preview --------------------------------------------------------------------------

def criar(conta, tabela, nome_arquivo="", acao="atribuir", processos=None):
    """Check every line of `tabela` and store the batch for its preview. Returns the Lote.

    `processos` (ids) are the purchases a CPF + e-mail list draws certificates from.
    """
    if acao == "reatribuir" and tabela.formato != MODELO:
        raise LoteRecusado("Para reatribuir, use a planilha modelo: cada linha diz o "
                           "certificado (coluna “Certificado”).")
    if tabela.formato == LISTA:
        escolhidas = {p.id for p, _ in compras_com_pendentes(conta, acao)}
        processos = [p for p in (processos or []) if p in escolhidas]
        if not processos:
            raise LoteRecusado("Escolha ao menos uma compra com certificados pendentes: a "
                               "planilha tem só CPF e e-mail.")
    linhas = [Linha(numero, valores) for numero, valores in tabela.linhas
              if tabela.formato == LISTA or preenchida(valores)]
    if not linhas:
        raise LoteRecusado("Nenhuma linha da planilha tem CPF ou e-mail preenchido: preencha "
                           "as colunas “CPF” e “E-mail” dos certificados a atribuir.")
    conferir(conta, acao, tabela, linhas,
             livres=list(pendentes(conta, acao, processos)) if tabela.formato == LISTA else [])
    erros = sum(1 for l in linhas if l.erro)
    with db.atomic():
        lote = Lote.create(contratante=vinculos.contratante_de(conta), conta=conta.id, acao=acao, formato=tabela.formato,
                           nome_arquivo=(nome_arquivo or "")[:200], total=len(linhas),
                           validas=len(linhas) - erros, erros=erros)
        for bloco in blocos(linhas, 200):
            LoteLinha.insert_many([{
                "lote": lote.id, "linha": l.numero,
                "processo_numero": (l.certificado.processo.numero if l.certificado
                                    else l.valores.get("processo", "")),
                "certificado_numero": (l.certificado.numero if l.certificado
                                       else l.valores.get("certificado", "")),
                "cpf": l.valores.get("cpf", ""), "email": l.valores.get("email", ""),
                "email_confirmacao": l.valores.get("email_confirmacao", ""),
                "nome": l.valores.get("nome", ""),
                "certificado": l.certificado.id if l.certificado else None,
                "situacao": ERRO if l.erro else VALIDA, "erro": l.erro[:300],
            } for l in bloco]).execute()
    return lote


def linhas(lote, so_erros=False, pagina=1, por_pagina=100):
    query = LoteLinha.select().where(LoteLinha.lote == lote.id)
    if so_erros:
        query = query.where(LoteLinha.situacao.in_((ERRO, FALHOU)))
    return query.order_by(LoteLinha.linha).paginate(pagina, por_pagina)


def descricao(linha, acao="atribuir"):
    """What a valid line will do, as the preview says it (masked, LGPD)."""
    verbo = "Reatribuir" if acao == "reatribuir" else "Atribuir"
    cpf = formatacao.mask_cpf(cpf_da_planilha(linha.cpf))
    return (f"{verbo} {linha.certificado_numero} a {cpf} / "
            f"{formatacao.mask_email(linha.email.strip().lower())}")


def contagem(lote):
    """{situacao: number of lines} of the batch now."""
    return dict(LoteLinha.select(LoteLinha.situacao, fn.COUNT(LoteLinha.id))
                .where(LoteLinha.lote == lote.id).group_by(LoteLinha.situacao).tuples())


def linhas_para_corrigir(lote):
    """The lines that were refused (at preview or when applied), as typed, with "Erro"."""
    query = (LoteLinha.select().where((LoteLinha.lote == lote.id)
                                      & LoteLinha.situacao.in_((ERRO, FALHOU)))
             .order_by(LoteLinha.linha))
    for l in query.iterator():
        pessoa = [l.cpf, l.email, l.email_confirmacao, l.nome, l.erro]
        yield ([l.processo_numero, l.certificado_numero] if lote.formato == MODELO else []) + pessoa


# --- applying -----------------------------------------------------------------------------

def confirmar(lote):
    """Preview → applying, once: a second click (or a second worker) gets False."""
    feito = (Lote.update(situacao=APLICANDO, confirmado_em=utcnow())
             .where((Lote.id == lote.id) & (Lote.situacao == PREVIA)).execute())
    return feito == 1


def espacador(por_minuto, ja_enviados=0):
    """Seconds to wait before each next message so at most `por_minuto` leave per minute."""
    contador = [ja_enviados]

    def atraso():
        n = contador[0]
        contador[0] += 1
        return (n // por_minuto) * 60 if por_minuto > 0 else 0

    return atraso


def ja_aplicadas(lote_id):
    return (LoteLinha.select().where((LoteLinha.lote == lote_id)
                                     & (LoteLinha.situacao == APLICADA)).count())


def aplicar(lote_id, validade_dias, despachar):
    """Apply every line still `valida`, each in its own transaction, calling `despachar()`
    after each commit (its e-mails now exist). Returns the counts."""
    lote = Lote.get_by_id(lote_id)
    conta = lote.conta
    ator = vinculos.ator(conta, lote.contratante)
    while True:
        bloco = list(LoteLinha.select().where((LoteLinha.lote == lote.id)
                                              & (LoteLinha.situacao == VALIDA))
                     .order_by(LoteLinha.linha).limit(200))
        if not bloco:
            break
        for linha in bloco:
            _aplicar_linha(lote, linha, conta, ator, validade_dias)
            despachar()
    (Lote.update(situacao=CONCLUIDO, concluido_em=utcnow())
     .where((Lote.id == lote.id) & (Lote.situacao == APLICANDO)).execute())
    return contagem(lote)


def _aplicar_linha(lote, linha, conta, ator, validade_dias):
    try:
        with db.atomic():
            # Claimed first: a twin job waits on this row, then finds it applied.
            claimed = (LoteLinha.update(situacao=APLICADA, aplicada_em=utcnow())
                       .where((LoteLinha.id == linha.id) & (LoteLinha.situacao == VALIDA))
                       .execute())
            if claimed != 1:
                return
            certificado = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                           .where(Certificado.id == linha.certificado_id).get())
            if not pode(certificado.situacao, lote.acao):
                raise TransicaoInvalida(situacao_recusada(certificado, lote.acao))
            atribuicoes.atribuir(certificado, cpf_da_planilha(linha.cpf), linha.email.strip().lower(),
                                 conta, ator, validade_dias, acao=lote.acao)
    except TransicaoInvalida as error:  # AtribuicaoRecusada and EstadoAlterado included
        correio.descartar()
        (LoteLinha.update(situacao=FALHOU, erro=str(error)[:300])
         .where((LoteLinha.id == linha.id) & (LoteLinha.situacao == VALIDA)).execute())


# --- Reenviar links for a selection -------------------------------------------------------

def aguardando_titular(conta, pagina=1, por_pagina=50):
    """The buyer's certificates whose holders have not sent their request yet, oldest first."""
    return list(pendentes(conta, "reatribuir").paginate(pagina, por_pagina))


def reenviar_links(conta, numeros, validade_dias, despachar):
    """A fresh link to each selected holder (each certificate its own transaction, then
    `despachar()`). Returns (numbers sent, [(number, reason)]); another buyer's is refused.
    """
    ator = vinculos.ator(conta)
    enviados, recusados = [], []
    certificados = posse.certificados_do(conta, list(numeros)[:LOTE_SQL])
    for numero in numeros:
        certificado = certificados.get(numero)
        try:
            if certificado is None:
                raise TransicaoInvalida("Certificado não encontrado.")
            atribuicoes.reenviar_link(certificado, conta, ator, validade_dias)
        except TransicaoInvalida as error:
            correio.descartar()
            recusados.append((numero, str(error)))
        else:
            despachar()
            enviados.append(numero)
    return enviados, recusados
