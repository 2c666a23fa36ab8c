"""20 bank notifications for one boleto at the same instant, against PostgreSQL: every one
gets its 200 and is recorded; the purchase is credited once, the rest flagged for refund."""
import json
import os
import threading
import pytest

from models import Pagamento, ProcessoCompra, db
import relogio
from services.pagamento.pagamentos import assinatura
from tests.support import financeiro as helpers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="needs DATABASE_URL pointing at PostgreSQL (SQLite serialises "
                              "every writer, so there is no race to test)"),
]

SEGREDO = "segredo-do-banco"
NOTIFICACOES = 20


@pytest.fixture
def config_overrides():
    return {"PAGAMENTOS_WEBHOOK_SECRET": SEGREDO}


def test_concurrent_notifications_for_one_boleto_are_all_recorded(app, demo):
    with db.connection_context():
        boleto = helpers.boleto_em_dia()
    largada = threading.Barrier(NOTIFICACOES)
    respostas = [None] * NOTIFICACOES

    def notificar(i):
        corpo = json.dumps({"id": f"evt-{i}", "nosso_numero": boleto.nosso_numero,
                            "valor_centavos": boleto.valor_centavos,
                            "data_pagamento": relogio.hoje().isoformat()}).encode()
        client = app.test_client()
        largada.wait()
        respostas[i] = client.post("/api/pagamentos/notificacao", data=corpo,
                                   headers={"Content-Type": "application/json",
                                            "X-Assinatura": assinatura(SEGREDO, corpo)})

    threads = [threading.Thread(target=notificar, args=(i,)) for i in range(NOTIFICACOES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    codigos = [r.status_code for r in respostas]
    with db.connection_context():
        pagamentos = list(Pagamento.select().where(Pagamento.boleto == boleto.id))
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
    print(f"\nnotificações simultâneas: {NOTIFICACOES}; respostas 200: {codigos.count(200)}; "
          f"registradas: {len(pagamentos)}")
    assert codigos == [200] * NOTIFICACOES
    assert len(pagamentos) == NOTIFICACOES
    assert sum(p.creditado for p in pagamentos) == 1
    assert sum(p.sinalizado for p in pagamentos) == NOTIFICACOES - 1
    assert processo.situacao == "pago"
