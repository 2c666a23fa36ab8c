"""Queries whose SQL text is generated once per process.

Peewee writes a query's SQL anew on every call, walking the whole expression tree: for the
account read of every signed-in request that cost more than running the query (bench/
RESULTS.md). A query whose shape never changes, only its values, is built here once with
stand-in values; each call sends the same text with the real values, and the rows are read
by the query built then, into the same model objects (joins and `attr=` included) Peewee
would have made.
"""
from datetime import datetime, timedelta

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


class ConsultaPronta:
    """`montar(*valores)` returns a Peewee query; `ConsultaPronta(montar)(*valores)` runs it.

    Each value must reach the query's parameters as it is (a comparison, or one item of an
    IN list), and `montar` must build the same shape whatever the values, since it sees
    only stand-ins. The first call with a given number and kind of values writes the text
    for this database's kind (SQLite or PostgreSQL); every later call reuses it."""

    def __init__(self, montar):
        self._montar = montar
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
        return consulta, sql, tuple(parametros), posicoes

    def __call__(self, *valores):
        chave = (type(db.obj), tuple(type(v) for v in valores))
        pronta = self._prontas.get(chave)
        if pronta is None:
            pronta = self._prontas[chave] = self._preparar(valores)
        consulta, sql, parametros, posicoes = pronta
        parametros = list(parametros)
        for lugares, valor in zip(posicoes, valores):
            for lugar in lugares:
                parametros[lugar] = valor
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
