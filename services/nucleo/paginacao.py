"""Keyset ("seek") pagination for every list: a page starts from a cursor (the id of the
last row seen) and reads the next rows of an index in order, so page 1 000 costs what page
1 does. Counts stop at LIMITE_CONTAGEM: a buyer with 100 000 certificates reads "mais de
1.000", never a count of everything.

Lists show the newest first (descending id). `depois=<id>` ("Próxima") shows older rows,
`antes=<id>` ("Anterior") newer ones. A cursor past either end shows the first or last page.
"""
import functools
from contextlib import contextmanager
from dataclasses import dataclass

from peewee import SQL, Select, fn

from banco.consulta_pronta import ConsultaPronta
from models import db
from services.nucleo.entrada import MAIOR_ID

LIMITE_CONTAGEM = 1000


@dataclass
class Pagina:
    itens: list
    total: int  # exact up to LIMITE_CONTAGEM; above it, LIMITE_CONTAGEM + 1
    anterior: int | None = None  # cursor for "Anterior" (newer rows)
    proxima: int | None = None  # cursor for "Próxima" (older rows)

    @property
    def excede(self):
        """More rows than were counted: say "mais de" instead of a number."""
        return self.total > LIMITE_CONTAGEM

    @property
    def paginada(self):
        return self.anterior is not None or self.proxima is not None


def cursor(valor):
    """A cursor from the query string: a positive id, or None for anything else."""
    try:
        numero = int(valor)
    except (TypeError, ValueError):
        return None
    return numero if 0 < numero <= MAIOR_ID else None


def anexar(itens, campo, model):
    """Load the `model` rows that `itens` point to by `campo` (a foreign key) in one query by
    primary key, and attach them. Lists page on their own table alone and then fetch the
    few related rows (inside the page's transaction, where PostgreSQL may not scan): a join
    would let the planner, misled by missing or stale statistics, hash the whole related
    table. A null key (an event of no purchase) stays None."""
    ids = sorted({getattr(item, f"{campo}_id") for item in itens} - {None})
    if not ids:
        return itens
    linhas = {linha.id: linha for linha in _por_ids(model)(*ids)}
    for item in itens:
        chave = getattr(item, f"{campo}_id")
        if chave is not None:
            setattr(item, campo, linhas[chave])
    return itens


_POR_IDS = {}
_COMPARAR = {"<": lambda chave, valor: chave < valor, ">": lambda chave, valor: chave > valor}


def _por_ids(model):
    """The read of `model` rows by a list of ids, its SQL written once per number of ids."""
    if model not in _POR_IDS:
        _POR_IDS[model] = ConsultaPronta(lambda *ids: model.select().where(model.id.in_(ids)))
    return _POR_IDS[model]


def _contagem(base, ordem):
    """How many rows `base` has, stopping at LIMITE_CONTAGEM + 1 (reads at most that many
    index entries)."""
    # Ordered like the list, so the plan is the list's index read, stopped early (without
    # an order, a planner short of statistics may scan the table hoping to stop soon).
    chave = ordem[-1]
    primeiros = (base.select(chave).order_by(*(c.desc() for c in ordem))
                 .limit(LIMITE_CONTAGEM + 1))
    return Select([primeiros.alias("primeiros")], [fn.COUNT(SQL("1"))])


@contextmanager
def lendo_o_indice_em_ordem(ligado):
    """On PostgreSQL, the list's reads may not scan a whole table (the related rows are then
    fetched by primary key) and, when `ligado`, may not sort: the only plan left is the
    index read in the list's order, which stops after a page. Without this, a planner with
    no or stale statistics (right after a bulk load) may think a buyer has 5 rows, fetch all
    100 000 and sort them, or price a scan of all purchases below 20 key lookups. One
    statement sets both, in the page's own transaction."""
    if "postgres" not in type(db.obj).__name__.lower():
        yield
        return
    dentro_de_outra = db.in_transaction()
    ordem = "off" if ligado else "on"
    with db.atomic():
        db.execute_sql("SELECT set_config('enable_seqscan', 'off', true), "
                       "set_config('enable_sort', %s, true)", (ordem,))
        yield
        if dentro_de_outra:  # SET LOCAL lasts until the outer transaction ends: undo it
            db.execute_sql("SELECT set_config('enable_seqscan', 'on', true), "
                           "set_config('enable_sort', 'on', true)")


class Lista:
    """A keyset-paged list of one table, newest first, whose SQL is written once per process.

    `montar(*valores)` returns the filtered select (`Certificado.select().where(...)`); it is
    called with stand-ins once per kind of read (banco.consulta_pronta), so it must build
    the same shape whatever the values: a filter that changes the WHERE's shape is another
    Lista. `anexos`: (foreign key name, model) pairs, the rows each item points to (see
    anexar). `em_ordem=False` lets the planner sort (a search whose index narrows the rows
    by another column)."""

    def __init__(self, montar, chave, anexos=(), em_ordem=True, prefixo=()):
        self.montar, self.chave, self.anexos, self.em_ordem = montar, chave, anexos, em_ordem
        # Columns the WHERE fixes as a range (posse.na_faixa_do_contratante), ordered by
        # before `chave`: the same order, but one only the list's own index gives, so a
        # planner with statistics cannot walk the primary key backwards and filter instead
        # (Financeiro read 6 000 other boletos first).
        self.ordem = (*prefixo, chave)
        self._leituras = {}

    def pagina(self, valores, por_pagina, depois=None, antes=None):
        """One page from a cursor, in one or two reads of at most `por_pagina + 1` index
        entries (the count, at most LIMITE_CONTAGEM + 1, rides on the first), and one
        primary-key read per anexo, whatever the volume."""
        with lendo_o_indice_em_ordem(self.em_ordem):
            pagina = self._pagina(tuple(valores), max(1, por_pagina), depois, antes)
            for campo, model in self.anexos:
                anexar(pagina.itens, campo, model)
            return pagina

    def _leitura(self, tipo):
        """The ConsultaPronta of one kind of read: ("ler", cursor comparison or None,
        ascending?) takes (*valores, [cursor,] limit), ("existe", comparison) (*valores,
        cursor)."""
        if tipo not in self._leituras:
            # A list the planner may sort chooses its plan by the values: not one for all.
            self._leituras[tipo] = ConsultaPronta(functools.partial(self._montar_leitura, tipo),
                                                  preparada=self.em_ordem)
        return self._leituras[tipo]

    def _montar_leitura(self, tipo, *valores):
        if tipo[0] == "existe":
            *chaves, cursor = valores
            return (self.montar(*chaves).where(_COMPARAR[tipo[1]](self.chave, cursor))
                    .select(SQL("1")).limit(1))
        _, sinal, crescente = tipo
        if sinal:
            *chaves, cursor, limite = valores
        else:
            *chaves, limite = valores
        q = self.montar(*chaves)
        if sinal:
            q = q.where(_COMPARAR[sinal](self.chave, cursor))
        q = q.select_extend(_contagem(self.montar(*chaves), self.ordem).alias("_contagem"))
        return (q.order_by(*(c.asc() if crescente else c.desc() for c in self.ordem))
                .limit(limite))

    def _pagina(self, valores, por_pagina, depois, antes):
        def ler(sinal, cursor, crescente):
            """The rows, whether more follow, and the count, which rides on the read as a
            subquery the database runs once (one round trip less on every page)."""
            extra = (cursor,) if sinal else ()
            linhas = self._leitura(("ler", sinal, crescente))(*valores, *extra, por_pagina + 1)
            total = linhas[0]._contagem if linhas else 0
            mais = len(linhas) > por_pagina
            linhas = linhas[:por_pagina]
            return (linhas[::-1] if crescente else linhas), mais, total

        def valor(item):
            return getattr(item, self.chave.name)

        def existe(sinal, cursor):
            return bool(self._leitura(("existe", sinal))(*valores, cursor))

        # Every page shown comes from one read, which brought the count: an empty one only
        # when there are no rows at all.
        if antes is not None:
            itens, mais_novas, total = ler(">", antes, crescente=True)
            if itens:
                proxima = valor(itens[-1]) if existe("<", valor(itens[-1])) else None
                return Pagina(itens, total, valor(itens[0]) if mais_novas else None, proxima)
            depois = None  # past the newest row: the first page
        elif depois is not None:
            itens, mais_antigas, total = ler("<", depois, crescente=False)
            if not itens:  # past the oldest row: the last page
                itens, mais_novas, total = ler(None, None, crescente=True)
                return Pagina(itens, total, valor(itens[0]) if mais_novas else None, None)
            anterior = valor(itens[0]) if existe(">", valor(itens[0])) else None
            return Pagina(itens, total, anterior, valor(itens[-1]) if mais_antigas else None)
        itens, mais_antigas, total = ler(None, None, crescente=False)
        return Pagina(itens, total, None, valor(itens[-1]) if mais_antigas and itens else None)
