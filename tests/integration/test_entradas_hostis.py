"""The 17 inputs that used to crash the site (500) now each get their answer: a message
at the field, a 400/401 for the bank's notification, or the page as if they were absent."""
import json
import pytest

from models import Certificado, Pagamento, Solicitacao, db
import relogio
from services.nucleo.entrada import MENSAGEM_CONTROLE
from services.pagamento.pagamentos import assinatura
from tests.support.http import login, text
from tests.support import financeiro as helpers
from tests.support.solicitacao import enviar_etapa, novo_link, preencher

SEGREDO = "segredo-do-banco"
NUL = "\x00"


@pytest.fixture
def config_overrides():
    return {"PAGAMENTOS_WEBHOOK_SECRET": SEGREDO}


@pytest.fixture
def boleto(demo):
    with db.connection_context():
        return helpers.boleto_em_dia()


def notificar(client, corpo, cabecalho=None):
    raw = corpo if isinstance(corpo, bytes) else json.dumps(corpo).encode()
    headers = {"Content-Type": "application/json",
               "X-Assinatura": cabecalho or assinatura(SEGREDO, raw)}
    return client.post("/api/pagamentos/notificacao", data=raw, headers=headers)


def evento(boleto, **campos):
    return {"id": "evt-1", "nosso_numero": boleto.nosso_numero,
            "valor_centavos": boleto.valor_centavos,
            "data_pagamento": relogio.hoje().isoformat(), **campos}


def pagamentos():
    with db.connection_context():
        return Pagamento.select().count()


# --- the bank's notification: 401 or 400, nothing recorded -------------------------------

@pytest.mark.parametrize("caso", ["assinatura não ASCII", "NUL no id", "valor 10**30",
                                  "100 000 colchetes"])
def test_hostile_notifications_are_refused_not_crashed(client, boleto, caso):
    antes = pagamentos()
    if caso == "assinatura não ASCII":
        resposta = notificar(client, evento(boleto), cabecalho="sha256=ção" + "a" * 60)
        esperado = 401
    elif caso == "NUL no id":
        resposta, esperado = notificar(client, evento(boleto, id=f"evt{NUL}1")), 400
    elif caso == "valor 10**30":
        resposta, esperado = notificar(client, evento(boleto, valor_centavos=10**30)), 400
    else:
        resposta, esperado = notificar(client, b"[" * 100_000), 400
    assert resposta.status_code == esperado
    assert pagamentos() == antes


# --- the holder's request: the message at the field, nothing saved ----------------------

@pytest.mark.parametrize("etapa, campo, valor, mensagem", [
    ("dados", "nome", f"João{NUL}Alves", MENSAGEM_CONTROLE),
    ("endereco", "logradouro", f"SBS{NUL}", MENSAGEM_CONTROLE),
    ("endereco", "complemento", f"{NUL}", MENSAGEM_CONTROLE),
    ("endereco", "bairro", f"Asa{NUL}Sul", MENSAGEM_CONTROLE),
    ("endereco", "cidade", f"Bras{NUL}lia", MENSAGEM_CONTROLE),
    ("documento", "doc_emissor", f"SSP{NUL}", MENSAGEM_CONTROLE),
    ("dados", "nascimento_dia", "9" * 24, "só números"),
    ("documento", "emissao_mes", "1" * 24, "só números"),
])
def test_hostile_request_fields_get_a_message_and_nothing_is_saved(app, client, demo, etapa,
                                                                     campo, valor, mensagem):
    numero, token = novo_link(app)
    client.get(f"/t/{token}")
    anterior = {"dados": None, "endereco": "contato", "documento": "endereco"}[etapa]
    if anterior:
        preencher(client, numero, ate=anterior)
    client.get(f"/solicitacao/{numero}/{etapa}")  # the draft exists once the form is shown
    antes = solicitacao(numero)
    resposta = enviar_etapa(client, numero, etapa, {campo: valor})
    assert resposta.status_code == 422
    assert mensagem in text(resposta)
    assert solicitacao(numero) == antes


def solicitacao(numero):
    """Every column of the certificate's request, as stored."""
    with db.connection_context():
        linha = (Solicitacao.select().join(Certificado, on=Solicitacao.certificado)
                 .where(Certificado.numero == numero).dicts().first())
    return {k: v for k, v in (linha or {}).items() if k != "atualizado_em"}


# --- the agent's pages ------------------------------------------------------------------

def test_an_amount_of_10_to_the_23_is_refused_at_the_field(agente, boleto):
    antes = pagamentos()
    resposta = agente.post(f"/pagamentos/boletos/{boleto.id}/confirmar",
                           data={"valor": "1" + "0" * 23,
                                 "data_pagamento": relogio.hoje().isoformat()})
    assert resposta.status_code == 422
    assert "Valor alto demais" in text(resposta)
    assert pagamentos() == antes


@pytest.mark.parametrize("dia", ["0001-01-01", "9999-12-31"])
def test_agenda_of_an_impossible_day_shows_today(agente, dia):
    resposta = agente.get(f"/agenda/?dia={dia}")
    assert resposta.status_code == 200
    assert "Agenda" in text(resposta)


# --- "next" with CR/LF ------------------------------------------------------------------

def test_next_with_a_line_break_is_ignored_on_the_login_page(client, demo):
    resposta = client.get("/entrar?next=/%0D%0ASet-Cookie:x=1")
    assert resposta.status_code == 200
    assert "Entrar na Área do Cliente" in text(resposta)


def test_next_with_a_line_break_after_a_correct_login_goes_home(client, demo):
    resposta = client.post("/entrar?next=/pedidos/%0D%0ASet-Cookie:x=1",
                           data={"cpf": "123.456.789-09", "senha": "demo12345"})
    assert resposta.status_code == 303
    assert resposta.headers["Location"] == "/"
    assert "x=1" not in resposta.headers.get("Set-Cookie", "")
    assert login(client, "123.456.789-09", "demo12345").status_code == 303
