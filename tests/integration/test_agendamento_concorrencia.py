"""Capacity holds with many workers: several holders confirm the same one-seat time at the
same instant against PostgreSQL; exactly one gets it, the others "horário esgotado"."""
import os
import threading

import pytest

from models import Agendamento, Certificado, Horario, db
from services.agendamento import horarios
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.http import text

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="needs DATABASE_URL pointing at PostgreSQL (SQLite serialises "
                              "every writer, so there is no race to test)"),
]

CPFS = ["52998224725", "39053344705", "11144477735", "22233366638", "98765432100",
        "12345678909"]


@pytest.fixture
def config_overrides():
    return {"AGENDA_CAPACIDADE": 1}


def test_concurrent_bookings_of_a_one_seat_time_let_exactly_one_win(app, demo, relogio):
    clientes = []
    with app.app_context(), db.connection_context():
        for i, cpf in enumerate(CPFS):
            certificado, token = certificado_solicitado(cpf=cpf, email=f"t{i}@example.com")
            clientes.append((certificado, token))
    sessoes = []
    for certificado, token in clientes:
        client = app.test_client()
        assert client.get(f"/t/{token}").status_code == 303
        sessoes.append((client, certificado))

    largada = threading.Barrier(len(sessoes))
    respostas = [None] * len(sessoes)

    def reservar(i, client, certificado):
        largada.wait()
        respostas[i] = client.post(f"/titular/{certificado.numero}/agendamento/confirmar",
                                   data={"inicio": "2026-12-22T10:00", "acao": "agendar"})

    threads = [threading.Thread(target=reservar, args=(i, c, cert))
               for i, (c, cert) in enumerate(sessoes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    codigos = sorted(r.status_code for r in respostas)
    assert codigos == [303] + [409] * (len(sessoes) - 1)
    for resposta in respostas:
        if resposta.status_code == 409:
            html = resposta.get_data(as_text=True)
            assert "horário esgotado" in text(resposta).lower()
            # Fresh options: the day's other times, without the one just taken.
            assert 'value="2026-12-22T10:30"' in html
            assert 'value="2026-12-22T10:00"' not in html
    with db.connection_context():
        horario = Horario.get(Horario.inicio == horarios.para_banco(sp(2026, 12, 22, 10)))
        assert horario.ocupados == 1
        assert Agendamento.select().where(Agendamento.horario == horario).count() == 1
        ids = [c.id for c, _ in clientes]
        situacoes = sorted(c.situacao for c in Certificado.select().where(Certificado.id.in_(ids)))
        assert situacoes == ["agendado"] + ["solicitado"] * (len(sessoes) - 1)
