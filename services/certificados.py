"""Reading a buyer's certificates ("Gerenciar Certificados"): two queries per page, whatever
the number of purchases or certificates."""
from models import Certificado, ProcessoCompra
from services.lifecycle import CERTIFICADO_SITUACOES, EM_ANDAMENTO
from services.processos import Pagina

EM_ANDAMENTO_FILTRO = "em_andamento"
TODOS = "todos"

# The "Situação" filter: value -> label, in the order the <select> shows them.
FILTROS = {EM_ANDAMENTO_FILTRO: "Em andamento", TODOS: "Todos", **CERTIFICADO_SITUACOES}


def normalizar_filtro(valor):
    """An unknown value (old bookmark, typo) falls back to the default filter."""
    return valor if valor in FILTROS else EM_ANDAMENTO_FILTRO


def listar(conta, filtro=EM_ANDAMENTO_FILTRO, pagina=1, por_pagina=10):
    query = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
             .where(ProcessoCompra.comprador == conta.id))
    if filtro == EM_ANDAMENTO_FILTRO:
        query = query.where(Certificado.situacao.in_(EM_ANDAMENTO))
    elif filtro != TODOS:
        query = query.where(Certificado.situacao == filtro)
    total = query.count()
    pagina = min(max(1, pagina), max(1, -(-total // por_pagina)))
    itens = list(query.order_by(ProcessoCompra.criado_em.desc(), ProcessoCompra.id.desc(),
                                Certificado.numero).paginate(pagina, por_pagina))
    return Pagina(itens, pagina, total, por_pagina)


def do_comprador(conta, numero):
    """The buyer's own certificate by number, or None (someone else's looks the same)."""
    return (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
            .where((Certificado.numero == numero) & (ProcessoCompra.comprador == conta.id))
            .first())
