"""Queries whose SQL text is generated once per process.

Peewee writes a query's SQL anew on every call, walking the whole expression tree: for the
account read of every signed-in request that cost more than running the query (bench/
RESULTS.md). A query whose shape never changes, only its values, is built here once with
stand-in values; each call sends the same text with the real values, and the rows are read
by the query built then, into the same model objects (joins and `attr=` included) Peewee
would have made.

On PostgreSQL the text is also a prepared statement of each connection (PREPARE once, then
EXECUTE): the server stops planning it anew on every call, which was a fifth of its work on
a list page (docs/escala.md). After a few calls the server may keep one plan for any
values (the generic plan): right for a lookup by key or a list read whose plan the page's
settings fix (services.nucleo.paginacao), wrong where only the values tell how many rows
match (a time range, a prefix search): those pass `preparada=False`.
tests/integration/test_escala.py explains the generic plans of every list page.
"""
import itertools
import re
import weakref
from datetime import date, datetime, timedelta

from peewee import PostgresqlDatabase

from models import db

# Stand-ins no real value takes: ids are positive, texts have no NUL, and nothing happened
# in the year 1 (the values' kind picks the stand-in, so a field converts both alike).
_NUMERO = -(2 ** 62)
_INSTANTE = datetime(1, 1, 1)


def _marcadores(exemplos):
    marcadores = []
    for i, exemplo in enumerate(exemplos):
        if isinstance(exemplo, int):
            marcadores.append(_NUMERO - i)
        elif isinstance(exemplo, str):
            marcadores.append(f"\x00consulta-pronta-{i}\x00")
        elif isinstance(exemplo, datetime):
            marcadores.append(_INSTANTE + timedelta(microseconds=i))
        else:
            raise TypeError(f"ConsultaPronta aceita números, textos e instantes, não {exemplo!r}")
    return marcadores


# Whether to prepare on PostgreSQL at all (DB_COMANDOS_PREPARADOS, set by banco.conexao).
PREPARAR = True
# The statements each PostgreSQL connection has prepared, and the text of each name.
_PREPARADAS = weakref.WeakKeyDictionary()
_TEXTOS = {}
_NOMES = itertools.count(1)


def _texto_numerado(sql):
    """Peewee's text with PostgreSQL's numbered parameters: %s → $1, $2…; %% → %."""
    numeros = itertools.count(1)
    return re.sub(r"%([s%])", lambda m: f"${next(numeros)}" if m.group(1) == "s" else "%", sql)


# Each value's type, declared: left to the server, a value would take its column's type,
# and an id past the column's range (a hostile cursor) would be an error, not "no row".
_TIPOS = [(bool, "boolean"), (int, "bigint"), (str, "text"), (datetime, "timestamp"),
          (date, "date")]


def _tipos(parametros):
    """The PostgreSQL type of each parameter, or None when one has no type listed here."""
    tipos = []
    for valor in parametros:
        tipo = next((nome for classe, nome in _TIPOS if isinstance(valor, classe)), None)
        if tipo is None:
            return None
        tipos.append(tipo)
    return tipos


def texto(nome):
    """What `nome` was prepared as: "(types) AS SQL", with $1, $2… for its values."""
    return _TEXTOS[nome]


def preparar(nome):
    """Prepare statement `nome` on this thread's connection, if it is not yet. Sent past
    Peewee's log: it happens once per connection, not once per page."""
    conexao = db.connection()
    preparadas = _PREPARADAS.setdefault(conexao, set())
    if nome not in preparadas:
        with conexao.cursor() as cursor:
            cursor.execute(f"PREPARE {nome} {_TEXTOS[nome]}")
        preparadas.add(nome)


class ConsultaPronta:
    """`montar(*valores)` returns a Peewee query; `ConsultaPronta(montar)(*valores)` runs it.

    Each value must reach the query's parameters as it is (a comparison, or one item of an
    IN list), and `montar` must build the same shape whatever the values, since it sees
    only stand-ins. The first call with a given number and kind of values writes the text
    for this database's kind (SQLite or PostgreSQL); every later call reuses it."""

    def __init__(self, montar, preparada=True):
        self._montar = montar
        self._preparada = preparada
        self._prontas = {}
        self._leitores = {}

    def _preparar(self, exemplos):
        marcadores = _marcadores(exemplos)
        consulta = self._montar(*marcadores)
        sql, parametros = consulta.sql()
        posicoes = [[i for i, p in enumerate(parametros) if p == marcador]
                    for marcador in marcadores]
        if not all(posicoes):
            raise ValueError(f"{self._montar}: um valor não chegou aos parâmetros da consulta")
        nome = None
        tipos = _tipos(parametros)
        if (PREPARAR and self._preparada and tipos is not None
                and isinstance(db.obj, PostgresqlDatabase)):
            nome = f"consulta_pronta_{next(_NOMES)}"
            declarados = f"({', '.join(tipos)}) " if tipos else ""
            _TEXTOS[nome] = f"{declarados}AS {_texto_numerado(sql)}"
            lista = ", ".join(["%s"] * len(parametros))
            sql = f"EXECUTE {nome}({lista})" if parametros else f"EXECUTE {nome}"
        return consulta, sql, tuple(parametros), posicoes, nome

    def __call__(self, *valores):
        chave = (type(db.obj), PREPARAR, tuple(type(v) for v in valores))
        pronta = self._prontas.get(chave)
        if pronta is None:
            pronta = self._prontas[chave] = self._preparar(valores)
        consulta, sql, parametros, posicoes, nome = pronta
        parametros = list(parametros)
        for lugares, valor in zip(posicoes, valores):
            for lugar in lugares:
                parametros[lugar] = valor
        if nome is not None:
            preparar(nome)
        leitor = consulta._get_cursor_wrapper(db.execute_sql(sql, parametros))
        self._leitor_pronto(chave, leitor)
        return list(leitor)

    def _leitor_pronto(self, chave, leitor):
        """Peewee's reader works out, from the cursor's columns, which value goes to which
        object, anew for every query; the same text always has the same columns, so that
        is worked out once and handed to every later reader."""
        estado = self._leitores.get(chave)
        if estado is None:
            antes = dict(leitor.__dict__)
            leitor.initialize()
            estado = self._leitores[chave] = {
                nome: valor for nome, valor in leitor.__dict__.items()
                if nome not in antes or antes[nome] is not valor}
        else:
            leitor.__dict__.update(estado)
        leitor.initialized = True

    def primeira(self, *valores):
        linhas = self(*valores)
        return linhas[0] if linhas else None
