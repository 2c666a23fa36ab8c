"""The 20 inputs that used to crash the site (500) now each get their answer: a message
at the field, a 400/401 for the bank's notification, or the page as if they were absent.
An id in an address past what the database holds, or someone else's, is a 404; a page
number past the end, a page."""
import json
import pytest

from models import Certificado, Pagamento, ProcessoCompra, Solicitacao, db
import relogio
from services.nucleo.entrada import MENSAGEM_CONTROLE
from services.pagamento.pagamentos import assinatura
from tests.support.http import login, text
from tests.support import financeiro as helpers
from tests.support.solicitacao import VALIDOS, enviar_etapa, gerar_termo, novo_link, preencher

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


# --- ids past what the database holds, and someone else's -------------------------------

GRANDES = [str(2**63), str(2**64), "9" * 19, "9" * 40]  # 2**63 - 1 is the largest id
ALEM = str(2**63)


def paginas_com_id(numero):
    """(method, URL) of every page that reads an id from its address."""
    return {
        "comprador": [
            ("GET", f"/financeiro/boletos/{numero}"),
            ("GET", f"/financeiro/boletos/{numero}/boleto.pdf"),
            ("GET", f"/financeiro/boletos/{numero}/novo"),
            ("POST", f"/financeiro/boletos/{numero}/novo"),
            ("GET", f"/certificados/lote/{numero}"),
            ("GET", f"/certificados/lote/{numero}/progresso"),
            ("GET", f"/certificados/lote/{numero}/erros.csv"),
            ("GET", f"/certificados/lote/{numero}/erros.xlsx"),
            ("POST", f"/certificados/lote/{numero}/confirmar"),
            ("POST", f"/organizacao/convites/{numero}/reenviar"),
            ("POST", f"/organizacao/convites/{numero}/cancelar"),
            ("POST", f"/organizacao/responsaveis/{numero}/remover"),
        ],
        "agente": [
            ("GET", f"/agenda/{numero}"),
            ("GET", f"/agenda/{numero}/termo.pdf"),
            ("POST", f"/agenda/{numero}/aprovar"),
            ("POST", f"/agenda/{numero}/recusar"),
            ("POST", f"/agenda/{numero}/nao-compareceu"),
            ("POST", f"/agenda/{numero}/revogar"),
            ("POST", f"/pagamentos/boletos/{numero}/confirmar"),
        ],
    }


def test_ids_past_the_database_range_are_404_and_pages_past_the_end_are_pages(app, demo,
                                                                                boleto):
    clientes = {"comprador": app.test_client(), "agente": app.test_client()}
    login(clientes["comprador"], "123.456.789-09", "demo12345")
    login(clientes["agente"], "987.654.321-00", "agente12345")
    jose = app.test_client()
    login(jose, "111.444.777-35", "demo12345")
    with db.connection_context():
        de_maria = Certificado.get((Certificado.situacao == "disponivel")
                                   & (Certificado.titular_cpf.is_null())).numero
    antes = pagamentos()
    tentativas = 0

    def esperar(client, metodo, url, status, **dados):
        nonlocal tentativas
        resposta = client.open(url, method=metodo, data=dados)
        tentativas += 1
        assert resposta.status_code == status, (metodo, url, resposta.status_code)
        return resposta

    for numero in [*GRANDES, "0", str(2**63 - 1)]:
        for quem, paginas in paginas_com_id(numero).items():
            for metodo, url in paginas:
                esperar(clientes[quem], metodo, url, 404)
        esperar(clientes["comprador"], "POST", f"/organizacao/responsaveis/{numero}/papel",
                404, papel="consulta")
        # The contratante to switch to comes in the form: past the range, none of theirs.
        esperar(clientes["comprador"], "POST", "/contratante", 404, contratante=numero)
    for numero in GRANDES:
        pagina = esperar(clientes["comprador"], "GET",
                         f"/certificados/lote/reenviar?pagina={numero}", 200)
        assert "Reenviar" in text(pagina)
    for processo in ["²", ALEM, "-1"]:  # the purchases a batch draws from: ignored, not a 500
        esperar(clientes["comprador"], "POST", "/certificados/lote/", 422, processo=processo)
    # Someone else's: the same 404 as none at all, and nothing bought.
    for metodo, url in paginas_com_id(boleto.id)["comprador"][:4]:
        esperar(jose, metodo, url, 404)
    esperar(jose, "GET", f"/solicite-agora/?renovar={de_maria}", 404)
    esperar(jose, "GET", f"/solicite-agora/confirmar?quantidade=1&renovar={de_maria}", 404)
    resposta = jose.post("/solicite-agora/confirmar",
                         data={"quantidade": "1", "renovar": de_maria, "chave": "f" * 32})
    tentativas += 1
    assert resposta.status_code == 404
    with db.connection_context():
        assert not ProcessoCompra.select().where(ProcessoCompra.renova_id.is_null(False)).exists()
    assert pagamentos() == antes
    print(f"\nendereços hostis tentados: {tentativas}")


# --- the request's hidden versions past the database's integer ------------------------

ALEM_DO_INTEIRO = str(2**63)  # SQLite's and PostgreSQL's integers end at 2**63 - 1


@pytest.mark.parametrize("pagina", ["dados", "confira", "termo"])
def test_a_version_past_the_database_integer_is_refused_as_a_stale_page(app, client, demo,
                                                                          pagina):
    numero, token = novo_link(app)
    client.get(f"/t/{token}")
    url = f"/solicitacao/{numero}/{pagina}"
    if pagina == "dados":
        client.get(url)  # the draft exists once the form is shown
        dados = {**VALIDOS["dados"], "versao": ALEM_DO_INTEIRO}
    else:
        preencher(client, numero)
        if pagina == "termo":
            gerar_termo(client, numero)
        dados = ({"versao": ALEM_DO_INTEIRO} if pagina == "confira"
                 else {"termo_versao": ALEM_DO_INTEIRO, "concordo": "y"})
    antes = solicitacao(numero)
    resposta = client.post(url, data=dados)
    assert resposta.status_code == 409
    assert "outra aba ou aparelho" in text(resposta)
    assert solicitacao(numero) == antes
