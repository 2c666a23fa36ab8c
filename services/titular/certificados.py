"""Reading certificates: a buyer's ("Gerenciar Certificados"), a few index reads per page
whatever the number of purchases or certificates (see services.paginacao); one by number,
for its holder's pages."""
from models import Certificado, Conta, Contratante, ProcessoCompra
from services.contratantes import posse
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, EM_ANDAMENTO
from services.nucleo.paginacao import paginar

EM_ANDAMENTO_FILTRO = "em_andamento"
TODOS = "todos"

# The "Situação" filter: value -> label, in the order the <select> shows them.
FILTROS = {EM_ANDAMENTO_FILTRO: "Em andamento", TODOS: "Todos", **CERTIFICADO_SITUACOES}


def normalizar_filtro(valor):
    """An unknown value (old bookmark, typo) falls back to the default filter."""
    return valor if valor in FILTROS else EM_ANDAMENTO_FILTRO


def listar(conta, filtro=EM_ANDAMENTO_FILTRO, por_pagina=10, depois=None, antes=None):
    """Newest first. Each filter's WHERE matches one index on (comprador, [situacao,] id)."""
    condicao = posse.escopo_certificados(conta)
    if filtro == EM_ANDAMENTO_FILTRO:
        condicao &= Certificado.situacao.in_(EM_ANDAMENTO)
    elif filtro != TODOS:
        condicao &= Certificado.situacao == filtro
    return paginar(Certificado.select().where(condicao), Certificado.id, por_pagina, depois,
                   antes, anexos=[("processo", ProcessoCompra)])


def por_numero(numero):
    """The certificate `numero` with its purchase, the purchase's buyer and the contratante
    (what the holder's pages name), or None; who may see it is the caller's gate
    (web.acesso_titular)."""
    return (Certificado.select(Certificado, ProcessoCompra, Conta, Contratante)
            .join(ProcessoCompra)
            .join(Conta, on=(ProcessoCompra.comprador == Conta.id), attr="comprador")
            .switch(Certificado).join(Contratante)
            .where(Certificado.numero == numero).first())


def responsavel(certificado):
    """The buyer's account: who the holder's page says to ask about the certificate."""
    return certificado.processo.comprador


def organizacao(certificado):
    """The organisation that bought `certificado`, or None for a person's purchase: the
    holder's pages say "Certificado comprado por Prefeitura Municipal de Exemplo"."""
    return certificado.contratante if certificado.contratante.e_organizacao else None
