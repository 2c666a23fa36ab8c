"""Reading a buyer's purchases ("Consulta Processos de Compra"): constant queries per page."""
import re

from models import Boleto, Certificado, Evento, ProcessoCompra, Produto
from services.contratantes import posse
from services.nucleo.paginacao import Lista, lendo_o_indice_em_ordem


def normalizar_busca(texto):
    """What people type to find a purchase ID: digits only, spaces and dashes ignored."""
    return re.sub(r"\D", "", texto or "")[:20]


_TODOS = Lista(lambda contratante: ProcessoCompra.select().where(
    posse.de_contratante(ProcessoCompra, contratante)), ProcessoCompra.id,
    anexos=[("produto", Produto)])
# A search reads the range of its prefix and sorts it: a full ID matches one purchase.
_BUSCA = Lista(lambda contratante, de, ate: ProcessoCompra.select().where(
    posse.de_contratante(ProcessoCompra, contratante)
    & (ProcessoCompra.numero >= de) & (ProcessoCompra.numero < ate)),
    ProcessoCompra.id, anexos=[("produto", Produto)], em_ordem=False)


def listar(conta, busca="", por_pagina=10, depois=None, antes=None):
    """Newest first; the search matches the start of the ID (digits), on the index
    (comprador, numero): a range, since the ID is digits only and ":" sorts right after "9"."""
    contratante = posse.contratante_das_listas(conta)
    termo = normalizar_busca(busca)
    if termo:
        return _BUSCA.pagina([contratante, termo, termo + ":"], por_pagina, depois, antes)
    return _TODOS.pagina([contratante], por_pagina, depois, antes)


def certificados(processo):
    return list(Certificado.select().where(Certificado.processo == processo.id)
                .order_by(Certificado.numero))


def boletos(processo):
    return list(Boleto.select().where(Boleto.processo == processo.id).order_by(Boleto.id))


ANDAMENTO_LIMITE = 30


def eventos(processo, antes=None, limite=ANDAMENTO_LIMITE):
    """The latest `limite` events of the andamento (before the event id `antes`), oldest
    first, and the cursor of the ones before them (None: this is the start).

    A purchase of 100 certificates gathers hundreds of events; the page reads its window of
    the index (processo, id) backwards instead of all of them.
    """
    condicao = Evento.processo == processo.id
    if antes is not None:
        condicao &= Evento.id < antes
    with lendo_o_indice_em_ordem(True):
        linhas = list(Evento.select().where(condicao).order_by(Evento.id.desc())
                      .limit(limite + 1))
    anteriores = len(linhas) > limite
    linhas = linhas[:limite][::-1]
    return linhas, (linhas[0].id if anteriores and linhas else None)

