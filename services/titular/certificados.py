"""Reading a buyer's certificates ("Gerenciar Certificados"): a few index reads per page,
whatever the number of purchases or certificates (see services.paginacao)."""
from models import Certificado, ProcessoCompra
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

