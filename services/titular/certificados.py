"""Reading certificates: a buyer's ("Gerenciar Certificados"), a few index reads per page
whatever the number of purchases or certificates (see services.paginacao); one by number,
for its holder's pages."""
from banco.consulta_pronta import ConsultaPronta
from models import Certificado, Conta, Contratante, ProcessoCompra
from services.contratantes import posse
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, EM_ANDAMENTO
from services.nucleo.paginacao import Lista

EM_ANDAMENTO_FILTRO = "em_andamento"
TODOS = "todos"

# The "Situação" filter: value -> label, in the order the <select> shows them.
FILTROS = {EM_ANDAMENTO_FILTRO: "Em andamento", TODOS: "Todos", **CERTIFICADO_SITUACOES}


def normalizar_filtro(valor):
    """An unknown value (old bookmark, typo) falls back to the default filter."""
    return valor if valor in FILTROS else EM_ANDAMENTO_FILTRO


# One list per shape of the Situação filter; each WHERE matches one index on
# (contratante, [situacao,] id).
_ANEXOS = [("processo", ProcessoCompra)]
_EM_ANDAMENTO = Lista(lambda contratante: Certificado.select().where(
    posse.de_contratante(Certificado, contratante) & Certificado.situacao.in_(EM_ANDAMENTO)),
    Certificado.id, anexos=_ANEXOS)
_TODOS = Lista(lambda contratante: Certificado.select().where(
    posse.de_contratante(Certificado, contratante)), Certificado.id, anexos=_ANEXOS)
_NA_SITUACAO = Lista(lambda contratante, situacao: Certificado.select().where(
    posse.de_contratante(Certificado, contratante) & (Certificado.situacao == situacao)),
    Certificado.id, anexos=_ANEXOS)


def listar(conta, filtro=EM_ANDAMENTO_FILTRO, por_pagina=10, depois=None, antes=None):
    """Newest first, a page of the active contratante's certificates under `filtro`."""
    contratante = posse.contratante_das_listas(conta)
    if filtro == EM_ANDAMENTO_FILTRO:
        return _EM_ANDAMENTO.pagina([contratante], por_pagina, depois, antes)
    if filtro == TODOS:
        return _TODOS.pagina([contratante], por_pagina, depois, antes)
    return _NA_SITUACAO.pagina([contratante, filtro], por_pagina, depois, antes)


def _consulta_por_numero(numero):
    return (Certificado.select(Certificado, ProcessoCompra, Conta, Contratante)
            .join(ProcessoCompra)
            .join(Conta, on=(ProcessoCompra.comprador == Conta.id), attr="comprador")
            .switch(Certificado).join(Contratante)
            .where(Certificado.numero == numero).limit(1))


# Read on every request of the holder's pages: its SQL is written once (banco.consulta_pronta).
_POR_NUMERO = ConsultaPronta(_consulta_por_numero)
_NUMEROS = ConsultaPronta(lambda *ids: Certificado.select(Certificado.numero)
                          .where(Certificado.id.in_(ids)).order_by(Certificado.numero))


def por_numero(numero):
    """The certificate `numero` with its purchase, the purchase's buyer and the contratante
    (what the holder's pages name), or None; who may see it is the caller's gate
    (web.acesso_titular)."""
    return _POR_NUMERO.primeira(numero)


def numeros(ids):
    """The numbers of the certificates `ids` (ints), in order."""
    return [c.numero for c in _NUMEROS(*ids)] if ids else []


def responsavel(certificado):
    """The buyer's account: who the holder's page says to ask about the certificate."""
    return certificado.processo.comprador


def organizacao(certificado):
    """The organisation that bought `certificado`, or None for a person's purchase: the
    holder's pages say "Certificado comprado por Prefeitura Municipal de Exemplo"."""
    return certificado.contratante if certificado.contratante.e_organizacao else None
