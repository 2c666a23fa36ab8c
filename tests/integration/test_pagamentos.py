"""Payment recognition by its three doors: the agents' page, the CLI and the bank's webhook."""
import json
from datetime import date, timedelta

import pytest

from filas import tarefas
from models import Boleto, Certificado, Email, Pagamento, ProcessoCompra, db
from services.pagamento.febraban import format_digitable_line
from services.pagamento.pagamentos import assinatura
from relogio import hoje
from tests.support.http import login, text
from tests.support import financeiro as helpers

SEGREDO = "segredo-do-banco"


@pytest.fixture
def config_overrides():
    return {"PAGAMENTOS_WEBHOOK_SECRET": SEGREDO}


@pytest.fixture
def aberto(demo, app):
    """Maria's purchase C: two certificates, boleto due in 5 days."""
    with db.connection_context():
        return helpers.boleto_em_dia()


def situacoes(boleto):
    with db.connection_context():
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
        certificados = {c.situacao for c in Certificado.select().where(
            Certificado.processo == processo.id)}
        return processo.situacao, Boleto.get_by_id(boleto.id).situacao, certificados


def pagamentos_de(boleto):
    with db.connection_context():
        return list(Pagamento.select().where(Pagamento.processo == boleto.processo_id))


# --- the agents' page --------------------------------------------------------------------

def test_pagamentos_is_for_agents_only(maria):
    assert maria.get("/pagamentos/").status_code == 404
    assert 'href="/pagamentos/"' not in maria.get("/financeiro/").get_data(as_text=True)


def test_anonymous_goes_to_login(client, demo):
    assert client.get("/pagamentos/").status_code == 303


def test_buyer_cannot_confirm_a_payment(maria, aberto):
    response = maria.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                          data={"valor": "300,00", "data_pagamento": hoje().isoformat()})
    assert response.status_code == 404
    assert situacoes(aberto)[0] == "aguardando_pagamento"


def test_agent_sees_pagamentos_in_the_menu(agente):
    page = agente.get("/pagamentos/")
    assert page.status_code == 200 and 'href="/pagamentos/"' in page.get_data(as_text=True)
    assert "Pagamentos sinalizados" in text(page)


@pytest.mark.parametrize("how", ["nosso_numero", "linha", "linha_formatada", "barcode"])
def test_agent_finds_a_boleto_by_nosso_numero_or_digitable_line(agente, aberto, how):
    busca = {"nosso_numero": aberto.nosso_numero, "linha": aberto.linha_digitavel,
             "linha_formatada": format_digitable_line(aberto.linha_digitavel),
             "barcode": aberto.codigo_barras}[how]
    response = agente.get("/pagamentos/", query_string={"q": busca})
    assert response.status_code == 200
    page = text(response)
    assert aberto.numero_documento in page and "R$ 300,00" in page
    assert "Maria da Silva" in page and "***.456.789-**" in page
    html = response.get_data(as_text=True)
    assert 'value="300,00"' in html and f'value="{hoje().isoformat()}"' in html


@pytest.mark.parametrize("busca, status, message", [
    ("123", 422, "Foram informados 3 números"),
    ("abc", 422, "somente números"),
    ("00000000000000000", 404, "Nenhum boleto"),
])
def test_bad_search_says_why_at_the_field(agente, busca, status, message):
    response = agente.get("/pagamentos/", query_string={"q": busca})
    assert response.status_code == status
    assert message in text(response)
    assert f'value="{busca}"' in response.get_data(as_text=True)


def test_mistyped_digitable_line_is_caught_by_its_check_digits(agente, aberto):
    linha = aberto.linha_digitavel
    errada = linha[:3] + str((int(linha[3]) + 1) % 10) + linha[4:]
    response = agente.get("/pagamentos/", query_string={"q": errada})
    assert response.status_code == 422
    assert "não confere" in text(response)


def test_agent_confirms_and_the_purchase_is_paid(agente, aberto, app):
    response = agente.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                           data={"valor": "300,00", "data_pagamento": hoje().isoformat()})
    assert response.status_code == 303
    assert "Pagamento reconhecido" in text(agente.get(response.headers["Location"]))
    assert situacoes(aberto) == ("pago", "pago", {"disponivel"})
    [pagamento] = pagamentos_de(aberto)
    assert pagamento.origem == "agente" and pagamento.creditado
    [aviso] = [m for m in app.extensions["mailman"].outbox if "Pagamento reconhecido" in m.subject]
    assert aviso.to == ["maria@example.com"]


def test_buyer_then_sees_pendente_de_atribuicao_in_meus_pedidos(client, aberto):
    login(client, "987.654.321-00", "agente12345")
    client.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                data={"valor": "300,00", "data_pagamento": hoje().isoformat()})
    client.post("/sair")
    login(client, "123.456.789-09", "demo12345")
    with db.connection_context():
        numero = ProcessoCompra.get_by_id(aberto.processo_id).numero
    page = text(client.get(f"/pedidos/processos/{numero}"))
    assert page.count("Pendente de atribuição") >= 2
    assert "Pagamento reconhecido" in page


def test_confirming_twice_credits_once(agente, aberto):
    data = {"valor": "300,00", "data_pagamento": hoje().isoformat()}
    agente.post(f"/pagamentos/boletos/{aberto.id}/confirmar", data=data)
    response = agente.post(f"/pagamentos/boletos/{aberto.id}/confirmar", data=data)
    assert "já estava registrado" in text(agente.get(response.headers["Location"]))
    assert len(pagamentos_de(aberto)) == 1


@pytest.mark.parametrize("valor, data_pagamento, campo, message", [
    ("", "today", "valor", "Informe o valor"),
    ("trezentos", "today", "valor", "em reais"),
    ("0,00", "today", "valor", "maior que zero"),
    ("300,00", "", "data_pagamento", "Informe a data"),
    ("300,00", "32/01/2026", "data_pagamento", "não existe"),
    ("300,00", "tomorrow", "data_pagamento", "não pode ser futura"),
])
def test_bad_confirmation_is_refused_at_the_field_and_kept(agente, aberto, valor,
                                                           data_pagamento, campo, message):
    data_pagamento = {"today": hoje().isoformat(),
                      "tomorrow": (hoje() + timedelta(days=1)).isoformat()
                      }.get(data_pagamento, data_pagamento)
    response = agente.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                           data={"valor": valor, "data_pagamento": data_pagamento})
    assert response.status_code == 422
    assert message in text(response)
    html = response.get_data(as_text=True)
    assert f'id="{campo}-erro"' in html
    if valor:
        assert f'value="{valor}"' in html
    assert pagamentos_de(aberto) == []


def test_wrong_amount_is_recorded_flagged_and_listed_for_refund(agente, aberto):
    response = agente.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                           data={"valor": "30,00", "data_pagamento": hoje().isoformat()})
    page = text(agente.get(response.headers["Location"]))
    assert "não creditado" in page and "Valor pago diferente" in page
    assert situacoes(aberto)[0] == "aguardando_pagamento"
    sinalizados = page.split("Pagamentos sinalizados")[1]
    assert aberto.nosso_numero in sinalizados and "Devolver" in sinalizados


def test_confirm_for_an_unknown_boleto_is_404(agente):
    response = agente.post("/pagamentos/boletos/999999/confirmar",
                           data={"valor": "1,00", "data_pagamento": "2026-01-01"})
    assert response.status_code == 404


# --- the bank's notification -------------------------------------------------------------

def notificar(client, corpo, assinar_com=SEGREDO, cabecalho=None):
    raw = corpo if isinstance(corpo, bytes) else json.dumps(corpo).encode()
    headers = {"Content-Type": "application/json"}
    if cabecalho is not None:
        headers["X-Assinatura"] = cabecalho
    elif assinar_com is not None:
        headers["X-Assinatura"] = assinatura(assinar_com, raw)
    return client.post("/api/pagamentos/notificacao", data=raw, headers=headers)


def evento(boleto, id_="evt-1", valor=None, data_pagamento=None):
    return {"id": id_, "nosso_numero": boleto.nosso_numero,
            "valor_centavos": boleto.valor_centavos if valor is None else valor,
            "data_pagamento": (data_pagamento or hoje()).isoformat()}


def test_signed_notification_credits_the_purchase(client, aberto):
    response = notificar(client, evento(aberto))
    assert response.status_code == 200
    assert response.json["situacao"] == "creditado"
    assert situacoes(aberto) == ("pago", "pago", {"disponivel"})


@pytest.mark.parametrize("cabecalho", [None, "", "sha256=00", "sha256=" + "0" * 64, "md5=abc"])
def test_missing_or_bad_signature_is_401_and_changes_nothing(client, aberto, cabecalho):
    response = notificar(client, evento(aberto), assinar_com=None, cabecalho=cabecalho)
    assert response.status_code == 401
    assert situacoes(aberto)[0] == "aguardando_pagamento"
    assert pagamentos_de(aberto) == []


def test_signature_with_another_secret_is_401(client, aberto):
    assert notificar(client, evento(aberto), assinar_com="outro").status_code == 401
    assert pagamentos_de(aberto) == []


def test_body_changed_after_signing_is_401(client, aberto):
    raw = json.dumps(evento(aberto)).encode()
    forjado = raw.replace(b'"evt-1"', b'"evt-2"')
    response = client.post("/api/pagamentos/notificacao", data=forjado,
                           headers={"X-Assinatura": assinatura(SEGREDO, raw)})
    assert response.status_code == 401


@pytest.mark.parametrize("config_overrides", [{"PAGAMENTOS_WEBHOOK_SECRET": ""}])
def test_without_a_configured_secret_every_notification_is_refused(client, aberto):
    assert notificar(client, evento(aberto), assinar_com="").status_code == 401


def test_replayed_notification_does_not_credit_twice(client, aberto):
    notificar(client, evento(aberto))
    response = notificar(client, evento(aberto))
    assert response.status_code == 200 and response.json["situacao"] == "ja_registrado"
    assert len(pagamentos_de(aberto)) == 1


def test_notification_with_a_wrong_amount_is_recorded_flagged_not_credited(client, aberto):
    response = notificar(client, evento(aberto, valor=100))
    assert response.status_code == 200
    assert response.json == {"situacao": "sinalizado", "pagamento": response.json["pagamento"],
                             "creditado": False, "motivo": "Valor pago diferente do valor do boleto."}
    assert situacoes(aberto)[0] == "aguardando_pagamento"
    [pagamento] = pagamentos_de(aberto)
    assert pagamento.sinalizado and not pagamento.creditado


def test_second_payment_of_a_paid_purchase_is_flagged_for_refund(client, aberto):
    notificar(client, evento(aberto, "evt-1"))
    response = notificar(client, evento(aberto, "evt-2"))
    assert response.json["situacao"] == "sinalizado"
    assert "devolver" in response.json["motivo"]
    assert [p.creditado for p in pagamentos_de(aberto)] == [True, False]


def test_bank_confirming_a_payment_the_agent_entered_credits_nothing_new(client, aberto):
    login(client, "987.654.321-00", "agente12345")
    client.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                data={"valor": "300,00", "data_pagamento": hoje().isoformat()})
    response = notificar(client, evento(aberto, "evt-9"))
    assert response.json["situacao"] == "ja_registrado"
    assert len(pagamentos_de(aberto)) == 1


def test_payment_of_a_replaced_boleto_credits_once(client, demo):
    with db.connection_context():
        antigo = helpers.boleto_vencido()
    login(client, "123.456.789-09", "demo12345")
    client.post(f"/financeiro/boletos/{antigo.id}/novo",
                data={"aceite": "y", "vencimento": hoje().isoformat()})
    response = notificar(client, evento(antigo, "evt-old"))
    assert response.json["situacao"] == "creditado"
    processo, boleto, certificados = situacoes(antigo)
    assert (processo, boleto, certificados) == ("pago", "pago", {"disponivel"})
    with db.connection_context():
        assert Boleto.get(Boleto.substitui == antigo.id).situacao == "cancelado"


@pytest.mark.parametrize("corpo, status", [
    (b"not json", 400),
    (b"[]", 400),
    ({"nosso_numero": "1" * 17, "valor_centavos": 1, "data_pagamento": "2026-01-01"}, 400),
    ({"id": "e", "nosso_numero": "123", "valor_centavos": 1, "data_pagamento": "2026-01-01"}, 400),
    ({"id": "e", "nosso_numero": "1" * 17, "valor_centavos": "1", "data_pagamento": "2026-01-01"}, 400),
    ({"id": "e", "nosso_numero": "1" * 17, "valor_centavos": 1, "data_pagamento": "ontem"}, 400),
    ({"id": "e", "nosso_numero": "1" * 17, "valor_centavos": 1, "data_pagamento": "2026-01-01"}, 404),
])
def test_malformed_or_unknown_notification_is_refused(client, demo, corpo, status):
    response = notificar(client, corpo)
    assert response.status_code == status
    with db.connection_context():
        assert not Pagamento.select().where(Pagamento.origem == "notificacao").exists()


def test_notification_needs_no_csrf_token_but_forms_still_do(app, demo):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    with db.connection_context():
        boleto = helpers.boleto_em_dia()
    assert notificar(client, evento(boleto)).status_code == 200
    assert client.post("/entrar", data={"cpf": "1", "senha": "x"}).status_code == 400


# --- the command line --------------------------------------------------------------------

def test_cli_confirms_a_payment_by_nosso_numero(app, aberto):
    result = app.test_cli_runner().invoke(args=["pagamentos", "confirmar", aberto.nosso_numero])
    assert result.exit_code == 0, result.output
    assert "Pagamento reconhecido" in result.output
    assert situacoes(aberto) == ("pago", "pago", {"disponivel"})
    [pagamento] = pagamentos_de(aberto)
    assert pagamento.origem == "cli" and pagamento.valor_centavos == 30000
    assert any("Pagamento reconhecido" in m.subject for m in app.extensions["mailman"].outbox)


def test_cli_takes_amount_and_date(app, aberto):
    result = app.test_cli_runner().invoke(args=[
        "pagamentos", "confirmar", aberto.nosso_numero, "--valor", "300,00", "--data",
        "2026-11-24"])
    assert result.exit_code == 0, result.output
    [pagamento] = pagamentos_de(aberto)
    assert pagamento.data_pagamento == date(2026, 11, 24)


def test_cli_run_twice_credits_once(app, aberto):
    runner = app.test_cli_runner()
    runner.invoke(args=["pagamentos", "confirmar", aberto.nosso_numero])
    result = runner.invoke(args=["pagamentos", "confirmar", aberto.nosso_numero])
    assert result.exit_code == 0 and "já estava registrado" in result.output
    assert len(pagamentos_de(aberto)) == 1


def test_cli_wrong_amount_is_flagged(app, aberto):
    result = app.test_cli_runner().invoke(args=["pagamentos", "confirmar", aberto.nosso_numero,
                                                "--valor", "10,00"])
    assert result.exit_code == 0 and "sinalizado" in result.output
    assert situacoes(aberto)[0] == "aguardando_pagamento"


@pytest.mark.parametrize("args, message", [
    (["00000000000000000"], "Nenhum boleto"),
    (["123"], "Foram informados 3"),
    (["NN", "--valor", "abc"], "em reais"),
    (["NN", "--data", "31/02/2026"], "não existe"),
])
def test_cli_bad_input_fails_with_the_reason(app, aberto, args, message):
    args = [aberto.nosso_numero if a == "NN" else a for a in args]
    result = app.test_cli_runner().invoke(args=["pagamentos", "confirmar", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert pagamentos_de(aberto) == []


def test_cli_cancels_unpaid_purchases_after_the_window(app, demo):
    with db.connection_context():
        processo = helpers.nova_compra(app, date(2026, 3, 5))
    result = app.test_cli_runner().invoke(args=["pagamentos", "cancelar-vencidos", "--hoje",
                                                "2026-03-16"])
    assert result.exit_code == 0, result.output
    assert processo.numero in result.output
    with db.connection_context():
        assert ProcessoCompra.get_by_id(processo.id).situacao == "cancelado"
        assert Email.select().where(Email.assunto.contains("cancelada")).count() == 1
    assert any("cancelada" in m.subject for m in app.extensions["mailman"].outbox)


def test_daily_job_cancels_through_the_same_function(app, demo):
    with db.connection_context():
        vencida = helpers.nova_compra(app, hoje() - timedelta(days=11))
        recente = helpers.nova_compra(app, hoje() - timedelta(days=10))
    assert tarefas.cancelar_compras_vencidas.call_local() == [vencida.numero]
    with db.connection_context():
        assert ProcessoCompra.get_by_id(vencida.id).situacao == "cancelado"
        assert ProcessoCompra.get_by_id(recente.id).situacao == "aguardando_pagamento"


def test_the_buyer_is_told_a_wrong_amount_will_be_refunded(agente, aberto, outbox):
    agente.post(f"/pagamentos/boletos/{aberto.id}/confirmar",
                data={"valor": "30,00", "data_pagamento": hoje().isoformat()})
    [mensagem] = [m for m in outbox if "será devolvido" in m.subject]
    assert mensagem.to == ["maria@example.com"]
    assert "R$ 30,00" in mensagem.body and "não foi creditado" in mensagem.body


# --- the same payment rules at every door --------------------------------------------------
# The agents' page is covered above (test_bad_confirmation_is_refused_at_the_field_and_kept).

def amanha():
    return hoje() + timedelta(days=1)


@pytest.mark.parametrize("opcao, valor, message", [
    ("--data", lambda: amanha().isoformat(), "A data do pagamento não pode ser futura."),
    ("--valor", lambda: "0,00", "O valor deve ser maior que zero."),
])
def test_cli_refuses_what_the_page_refuses(app, aberto, opcao, valor, message):
    result = app.test_cli_runner().invoke(args=["pagamentos", "confirmar", aberto.nosso_numero,
                                                opcao, valor()])
    assert result.exit_code != 0
    assert message in result.output and opcao in result.output
    assert pagamentos_de(aberto) == []
    assert situacoes(aberto)[0] == "aguardando_pagamento"


def test_notification_with_a_future_payment_date_is_refused(client, aberto):
    response = notificar(client, evento(aberto, data_pagamento=amanha()))
    assert response.status_code == 422
    assert response.json == {"erro": "A data do pagamento não pode ser futura.",
                             "campo": "data_pagamento"}
    assert pagamentos_de(aberto) == []
    assert situacoes(aberto)[0] == "aguardando_pagamento"


def test_notification_without_an_amount_is_refused(client, aberto):
    response = notificar(client, evento(aberto, valor=0))
    assert response.status_code == 400
    assert pagamentos_de(aberto) == []
