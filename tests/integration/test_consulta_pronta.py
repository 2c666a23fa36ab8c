"""Queries whose SQL is written once (banco.consulta_pronta): each call reads exactly what
Peewee's own query with the same values reads, into the same objects, on SQLite and on
PostgreSQL alike; a builder that hides a value from the parameters is refused."""
import logging
import os
import re
from datetime import datetime

import pytest

from banco import consulta_pronta
from banco.consulta_pronta import ConsultaPronta
from models import Certificado, Conta, Contratante, Evento, ProcessoCompra, db
from services.contratantes.vinculos import consulta_da_conta


def test_joined_rows_come_back_as_peewee_builds_them(demo, dbconn):
    pronta = ConsultaPronta(consulta_da_conta)
    contas = list(Conta.select().order_by(Conta.id))
    assert len(contas) >= 3
    for conta in contas + [Conta(id=10 ** 12)]:
        esperada = consulta_da_conta(conta.id).first()
        lida = pronta.primeira(conta.id)
        if esperada is None:
            assert lida is None
            continue
        assert lida.__data__ == esperada.__data__
        vinculo, esperado = getattr(lida, "vinculo", None), getattr(esperada, "vinculo", None)
        assert (vinculo.__data__ if vinculo else None) == (
            esperado.__data__ if esperado else None)
        if esperado is not None and esperado.id is not None:
            assert vinculo.contratante.nome == esperado.contratante.nome


def test_texts_numbers_and_instants_each_take_their_place(demo, dbconn):
    def montar(contratante, situacao, desde, limite):
        return (Certificado.select().where((Certificado.contratante == contratante)
                                           & (Certificado.situacao == situacao)
                                           & (Certificado.atualizado_em >= desde))
                .order_by(Certificado.id).limit(limite))

    pronta = ConsultaPronta(montar)
    casos = 0
    for contratante in Contratante.select():
        for situacao in ("disponivel", "atribuido", "emitido", "nenhuma"):
            for limite in (1, 3, 50):
                valores = (contratante.id, situacao, datetime(2000, 1, 1), limite)
                assert [c.numero for c in pronta(*valores)] == [
                    c.numero for c in montar(*valores)]
                casos += 1
    print(f"consultas comparadas: {casos}")


def test_a_list_of_ids_is_one_value_each(demo, dbconn):
    pronta = ConsultaPronta(lambda *ids: ProcessoCompra.select().where(
        ProcessoCompra.id.in_(ids)).order_by(ProcessoCompra.id))
    todos = [p.id for p in ProcessoCompra.select().order_by(ProcessoCompra.id)]
    for n in range(1, len(todos) + 1):
        assert [p.id for p in pronta(*todos[:n])] == todos[:n]
    assert [p.id for p in pronta(*todos[-2:])] == todos[-2:]  # same text, other values


def test_a_value_the_builder_does_not_pass_on_is_refused(demo, dbconn):
    # Branching on a value bakes the stand-in's branch into the text: refused, not cached.
    pronta = ConsultaPronta(lambda pessoa: Evento.select().where(Evento.id > 0))
    with pytest.raises(ValueError):
        pronta(1)
    with pytest.raises(TypeError):
        ConsultaPronta(lambda valor: Evento.select().where(Evento.id == valor))(1.5)


POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_a_percent_in_the_text_stays_a_percent_and_values_are_numbered():
    sql = "SELECT 1 FROM t WHERE a = %s AND b LIKE 'x%%' AND c IN (%s, %s)"
    assert consulta_pronta._texto_numerado(sql) == (
        "SELECT 1 FROM t WHERE a = $1 AND b LIKE 'x%' AND c IN ($2, $3)")


@pytest.mark.skipif(not POSTGRES, reason="prepared statements are PostgreSQL's (DATABASE_URL)")
def test_each_connection_prepares_once_and_a_new_one_prepares_again(app, demo):
    pronta = ConsultaPronta(consulta_da_conta)
    with db.connection_context():
        conta = Conta.select().order_by(Conta.id).first()
        assert pronta.primeira(conta.id).cpf == conta.cpf
        nome = re.match(r"EXECUTE (\w+)", pronta._prontas[next(iter(pronta._prontas))][1])[1]
        preparadas = [r[0] for r in db.execute_sql("SELECT name FROM pg_prepared_statements")]
        assert preparadas.count(nome) == 1
        # A rolled-back transaction keeps it; calling again does not prepare twice.
        with pytest.raises(RuntimeError), db.atomic():
            assert pronta.primeira(conta.id).cpf == conta.cpf
            raise RuntimeError
        assert pronta.primeira(conta.id).cpf == conta.cpf
    # Connections closed (the pool renews idle ones): the next one never saw the statement.
    db.close_all()
    with db.connection_context():
        assert pronta.primeira(conta.id).cpf == conta.cpf
        preparadas = [r[0] for r in db.execute_sql("SELECT name FROM pg_prepared_statements")]
        assert preparadas.count(nome) == 1


@pytest.mark.skipif(not POSTGRES, reason="prepared statements are PostgreSQL's (DATABASE_URL)")
def test_preparing_is_not_one_of_the_pages_statements(app, demo):
    # Once per connection, so query-count budgets see the same statements on every call.
    class Contador(logging.Handler):
        def __init__(self):
            super().__init__(logging.DEBUG)
            self.sql = []

        def emit(self, record):
            if isinstance(record.msg, tuple):
                self.sql.append(record.msg[0])

    pronta = ConsultaPronta(consulta_da_conta)
    contador, logger = Contador(), logging.getLogger("peewee")
    nivel = logger.level
    logger.addHandler(contador)
    logger.setLevel(logging.DEBUG)
    try:
        with db.connection_context():
            pronta.primeira(1)
            pronta.primeira(2)
    finally:
        logger.removeHandler(contador)
        logger.setLevel(nivel)
    assert len(contador.sql) == 2 and all(s.startswith("EXECUTE ") for s in contador.sql)


def test_an_id_past_the_columns_range_finds_nothing_rather_than_failing(demo, dbconn):
    # A cursor or id from an address may be any positive 63-bit number.
    pronta = ConsultaPronta(lambda conta_id: Conta.select().where(Conta.id == conta_id))
    assert [pronta(2 ** n) for n in (31, 40, 62)] == [[], [], []]


@pytest.mark.skipif(not POSTGRES, reason="prepared statements are PostgreSQL's (DATABASE_URL)")
@pytest.mark.parametrize("config_overrides", [{"DB_COMANDOS_PREPARADOS": False}])
def test_behind_a_pooler_the_same_reads_go_as_plain_sql(app, demo, config_overrides):
    pronta = ConsultaPronta(consulta_da_conta)
    try:
        with db.connection_context():
            conta = Conta.select().order_by(Conta.id).first()
            assert pronta.primeira(conta.id).cpf == conta.cpf
            assert not any(sql.startswith("EXECUTE") for _, sql, *_ in pronta._prontas.values())
    finally:
        consulta_pronta.PREPARAR = True  # the next tests' apps set it again anyway
