"""State moves against the database: audit events, conditional updates, races."""
import threading

import pytest

from models import Boleto, Certificado, Evento, ProcessoCompra, db
from services.pagamento import pagamentos
from services.nucleo.ciclo_de_vida import (Ator, EstadoAlterado, TransicaoInvalida, mover_boleto,
                                mover_certificado, mover_processo)

ATOR = Ator("Teste")


@pytest.fixture
def disponivel(demo, dbconn):
    return Certificado.select().where(Certificado.situacao == "disponivel").get()


def test_a_move_writes_an_audit_event_with_who_and_from_to(disponivel):
    mover_certificado(disponivel, "atribuir", Ator("Maria", None), detalhes="Titular x",
                      titular_cpf="52998224725", titular_email="a@example.com")
    evento = Evento.select().order_by(Evento.id.desc()).get()
    assert (evento.tipo, evento.de, evento.para, evento.ator) == (
        "certificado.atribuir", "disponivel", "atribuido", "Maria")
    recarregado = Certificado.get_by_id(disponivel.id)
    assert recarregado.situacao == "atribuido" and recarregado.titular_cpf == "52998224725"


def test_an_illegal_move_changes_nothing(disponivel):
    antes = Evento.select().count()
    with pytest.raises(TransicaoInvalida):
        mover_certificado(disponivel, "aprovar", ATOR)
    assert Certificado.get_by_id(disponivel.id).situacao == "disponivel"
    assert Evento.select().count() == antes


def test_a_stale_copy_cannot_move_a_certificate_someone_else_moved(disponivel):
    outra_copia = Certificado.get_by_id(disponivel.id)
    mover_certificado(disponivel, "atribuir", ATOR, titular_cpf="52998224725",
                      titular_email="a@example.com")
    with pytest.raises(EstadoAlterado):
        mover_certificado(outra_copia, "atribuir", ATOR, titular_cpf="39053344705",
                          titular_email="b@example.com")
    assert Certificado.get_by_id(disponivel.id).titular_cpf == "52998224725"


def test_two_workers_racing_on_one_certificate_move_it_once(app, disponivel):
    resultados = []
    barreira = threading.Barrier(2)

    def trabalhador(cpf):
        with db.connection_context():
            copia = Certificado.get_by_id(disponivel.id)
            barreira.wait()
            try:
                mover_certificado(copia, "atribuir", ATOR, titular_cpf=cpf,
                                  titular_email="x@example.com")
                resultados.append("ok")
            except EstadoAlterado:
                resultados.append("perdeu")

    threads = [threading.Thread(target=trabalhador, args=(cpf,))
               for cpf in ("52998224725", "39053344705")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(resultados) == ["ok", "perdeu"]
    assert Evento.select().where(Evento.tipo == "certificado.atribuir",
                                 Evento.certificado == disponivel.id).count() == 1


def test_purchase_cannot_skip_from_unpaid_to_concluded(demo, dbconn):
    processo = ProcessoCompra.select().where(
        ProcessoCompra.situacao == "aguardando_pagamento").first()
    with pytest.raises(TransicaoInvalida):
        mover_processo(processo, "concluido", ATOR)


def test_a_paid_boleto_cannot_be_replaced(demo, dbconn):
    boleto = Boleto.select().where(Boleto.situacao == "pago").first()
    with pytest.raises(TransicaoInvalida):
        mover_boleto(boleto, "substituido", ATOR)


def test_payment_credits_a_purchase_once_and_flags_the_second(app, demo, dbconn):
    processo = ProcessoCompra.select().where(
        ProcessoCompra.situacao == "aguardando_pagamento").first()
    boleto = processo.boletos.get()
    primeiro = pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, boleto.vencimento,
                                            "cli", "banco-1", ATOR)
    repetido = pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, boleto.vencimento,
                                            "cli", "banco-1", ATOR)
    segundo = pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, boleto.vencimento,
                                           "cli", "banco-2", ATOR)
    assert primeiro.creditado and repetido.id == primeiro.id
    assert not segundo.creditado and segundo.sinalizado
    assert ProcessoCompra.get_by_id(processo.id).situacao == "pago"
    assert {c.situacao for c in processo.certificados} == {"disponivel"}
