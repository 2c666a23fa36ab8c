"""Renewal: the daily job reminds holder and buyer 30 and 7 days before expiry (and publishes
the CRL); "Renovar" buys a new certificate that goes to the same holder once paid."""
from datetime import timedelta

import pytest

from models import Atribuicao, Certificado, CertificadoX509, Evento, Lcr, ProcessoCompra, db
from services.titular import atribuicoes
from services.titular import links
from services.pagamento import pagamentos
from relogio import hoje, utcnow
from services.nucleo.ciclo_de_vida import Ator
from tests.support.http import login, text
from tests.support.requisicao import emitir, nova_chave

CARLA_CPF = "39053344705"


@pytest.fixture
def baixado(app, demo, ac_demo, client):
    """Carla downloaded her certificate; returns its CertificadoX509."""
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.titular_cpf == CARLA_CPF)
        token = links.emitir(atribuicoes.ativa(certificado), 30)
    client.get(f"/t/{token}")
    assert emitir(client, certificado.numero, nova_chave()).status_code == 201
    with db.connection_context():
        return CertificadoX509.get(CertificadoX509.certificado == certificado.id)


def vencer_em(registro, dias):
    with db.connection_context():
        (CertificadoX509.update(valido_ate=utcnow() + timedelta(days=dias, hours=-1))
         .where(CertificadoX509.id == registro.id).execute())


def rodar_job(app):
    from filas import tarefas

    return tarefas.tarefas_diarias_certificados.call_local()


def test_reminders_go_at_30_and_7_days_to_holder_and_buyer_once_each(app, baixado, outbox):
    assert rodar_job(app) == 0  # a year away: nothing to say
    vencer_em(baixado, 30)
    assert rodar_job(app) == 1
    assert rodar_job(app) == 0  # the same threshold is never sent twice
    assert sorted(m.to[0] for m in outbox) == ["carla@example.com", "maria@example.com"]
    assert all("vence em 30 dias" in m.subject for m in outbox)
    comprador = next(m for m in outbox if m.to == ["maria@example.com"])
    assert "Renovar" in comprador.body and "/certificados/" in comprador.body
    vencer_em(baixado, 7)
    assert rodar_job(app) == 1
    assert [m.subject for m in outbox[2:]] == ["Seu certificado digital vence em 7 dias"] * 2
    with db.connection_context():
        assert Evento.select().where(Evento.tipo == "certificado.renovacao_avisada").count() == 2


def test_the_daily_job_publishes_a_new_crl(app, baixado):
    with db.connection_context():
        antes = Lcr.select().count()
    rodar_job(app)
    with db.connection_context():
        assert Lcr.select().count() == antes + 1


def test_renovar_buys_for_the_same_holder_who_gets_it_once_paid(app, client, baixado, outbox):
    login(client, "123.456.789-09", "demo12345")
    with db.connection_context():
        antigo = Certificado.get_by_id(baixado.certificado_id)
    gerenciar = text(client.get(f"/certificados/{antigo.numero}"))
    assert "Renovar" in gerenciar and "Válido até" in gerenciar
    pagina = client.get(f"/solicite-agora/?renovar={antigo.numero}")
    assert f"Renovação do certificado {antigo.numero}" in text(pagina)
    continuar = client.post("/solicite-agora/", data={"quantidade": "1",
                                                      "renovar": antigo.numero})
    assert continuar.status_code == 303 and f"renovar={antigo.numero}" in \
        continuar.headers["Location"]
    confirmar = client.get(continuar.headers["Location"])
    assert f"Renovação do certificado {antigo.numero}" in text(confirmar)
    import re

    chave = re.search(r'name="chave" type="hidden" value="([0-9a-f]{32})"',
                      confirmar.get_data(as_text=True)).group(1)
    comprado = client.post("/solicite-agora/confirmar", data={
        "quantidade": "1", "renovar": antigo.numero, "chave": chave})
    assert comprado.status_code == 303
    with app.app_context(), db.connection_context():
        processo = ProcessoCompra.get(ProcessoCompra.renova_id == antigo.id)
        boleto = processo.boletos.get()
        pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje(), "agente",
                                     "renovacao-1", Ator("Agente"))
        novo = processo.certificados.get()
        assert novo.situacao == "atribuido" and novo.titular_cpf == CARLA_CPF
        assert Atribuicao.get(Atribuicao.certificado == novo.id).email == "carla@example.com"
    andamento = text(client.get(f"/pedidos/processos/{processo.numero}"))
    assert "Compra de renovação" in andamento and "Certificado atribuído ao titular" in andamento


def test_renovar_of_someone_elses_certificate_is_404_and_buys_nothing(app, client, baixado):
    with db.connection_context():
        numero = Certificado.get_by_id(baixado.certificado_id).numero  # Maria's
        compras = ProcessoCompra.select().count()
    login(client, "111.444.777-35", "demo12345")  # José
    assert client.get(f"/solicite-agora/?renovar={numero}").status_code == 404
    assert client.post("/solicite-agora/", data={"quantidade": "1",
                                                 "renovar": numero}).status_code == 404
    assert client.get(f"/solicite-agora/confirmar?quantidade=1&renovar={numero}"
                      ).status_code == 404
    comprado = client.post("/solicite-agora/confirmar", data={
        "quantidade": "1", "renovar": numero, "chave": "0" * 32})
    assert comprado.status_code == 404
    with db.connection_context():
        assert ProcessoCompra.select().count() == compras
        assert not ProcessoCompra.select().where(ProcessoCompra.renova_id.is_null(False)).exists()
