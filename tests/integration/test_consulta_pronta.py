"""Queries whose SQL is written once (banco.consulta_pronta): each call reads exactly what
Peewee's own query with the same values reads, into the same objects, on SQLite and on
PostgreSQL alike; a builder that hides a value from the parameters is refused."""
from datetime import datetime

import pytest

from banco.consulta_pronta import ConsultaPronta
from models import Certificado, Conta, Contratante, Evento, ProcessoCompra
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
