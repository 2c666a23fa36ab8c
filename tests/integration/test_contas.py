"""docs/dominio.md §2: "Primeiro acesso" (CPF + e-mail, then name and phone, then an e-mail with
"Definir minha senha") and "Esqueci minha senha" (the same link), from the login page."""
import re
from datetime import timedelta

import pytest

from models import Conta, TokenConta, db
from relogio import utcnow
from tests.support.http import login, text

NOVO = {"cpf": "222.333.666-38", "email": "ana@example.com"}
DADOS = {"nome": "Ana Clara Souza", "celular": "(61) 99876-5432"}


def link_do_email(message):
    return re.search(r"http://portal\.test(/definir-senha/[^\s\"]+)", message.body).group(1)


def cadastrar(client, next_url=None, **dados):
    sufixo = f"?next={next_url}" if next_url else ""
    primeira = client.post(f"/primeiro-acesso{sufixo}", data={**NOVO, **dados})
    assert primeira.status_code == 303, text(primeira)
    return client.post("/primeiro-acesso/dados", data=DADOS)


def test_login_page_offers_primeiro_acesso_and_esqueci_minha_senha(client, app):
    html = client.get("/entrar?next=/pedidos/").get_data(as_text=True)
    assert '<a href="/primeiro-acesso?next=/pedidos/">Primeiro acesso</a>' in html
    assert '<a href="/esqueci-minha-senha?next=/pedidos/">Esqueci minha senha</a>' in html


def test_primeiro_acesso_sends_definir_minha_senha_and_the_link_sets_the_password(client, app,
                                                                                  outbox):
    primeira = client.post("/primeiro-acesso", data=NOVO)
    assert primeira.status_code == 303
    assert primeira.headers["Location"] == "/primeiro-acesso/dados"
    dados = client.get("/primeiro-acesso/dados")
    assert "an***@example.com" in text(dados) and "Etapa 2 de 2" in text(dados)
    enviado = client.post("/primeiro-acesso/dados", data=DADOS)
    assert enviado.status_code == 200
    assert "Enviamos para an***@example.com um e-mail com o link “Definir minha senha”" in \
        text(enviado)
    assert [m.to for m in outbox] == [["ana@example.com"]]
    assert "Definir minha senha" in outbox[0].body
    with db.connection_context():
        conta = Conta.get(Conta.cpf == "22233366638")
        assert (conta.nome, conta.telefone, conta.senha_hash) == ("Ana Clara Souza",
                                                                  "61998765432", "")

    abrir = client.get(link_do_email(outbox[0]))
    assert abrir.status_code == 303 and abrir.headers["Location"] == "/definir-senha"
    pagina = client.get("/definir-senha")
    assert "<h1>Definir minha senha</h1>" in pagina.get_data(as_text=True)
    feito = client.post("/definir-senha", data={"senha": "s3nha-boa", "confirmacao": "s3nha-boa"})
    assert feito.status_code == 303 and feito.headers["Location"] == "/"
    assert "Senha definida com sucesso" in text(client.get("/"))

    client.post("/sair")
    assert login(client, NOVO["cpf"], "s3nha-boa").status_code == 303


def test_a_cpf_with_an_account_is_sent_to_password_recovery(maria, outbox):
    maria.post("/sair")
    response = maria.post("/primeiro-acesso", data={"cpf": "123.456.789-09",
                                                    "email": "outro@example.com"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/esqueci-minha-senha")
    pagina = maria.get(response.headers["Location"])
    assert "Este CPF já tem cadastro" in text(pagina)
    assert 'value="123.456.789-09"' in pagina.get_data(as_text=True)
    assert outbox == []


@pytest.mark.parametrize("dados, campo, mensagem", [
    ({"cpf": "123.456.789-00"}, "cpf", "CPF inválido: confira os dígitos."),
    ({"cpf": "12a.456.789-09"}, "cpf", "O CPF deve conter apenas números."),
    ({"cpf": ""}, "cpf", "Informe o CPF."),
    ({"email": "ana@@example"}, "email", "E-mail inválido."),
    ({"email": ""}, "email", "Informe o e-mail."),
])
def test_primeiro_acesso_bad_input_is_shown_at_the_field(client, app, dados, campo, mensagem):
    enviado = {**NOVO, **dados}
    response = client.post("/primeiro-acesso", data=enviado)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Erro: " in html
    assert re.search(rf'id="{campo}-erro">.*{re.escape(mensagem)}', html)
    for nome, valor in enviado.items():
        if valor:
            assert f'value="{valor}"' in html


@pytest.mark.parametrize("dados, campo, mensagem", [
    ({"nome": "Ana"}, "nome", "Informe o nome completo, com sobrenome."),
    ({"nome": ""}, "nome", "Informe o nome completo."),
    ({"celular": "(61) 3345-6789"}, "celular", "Informe o celular com DDD"),
    ({"celular": "abc"}, "celular", "O celular deve conter apenas números."),
])
def test_primeiro_acesso_name_and_phone_are_checked(client, app, outbox, dados, campo, mensagem):
    client.post("/primeiro-acesso", data=NOVO)
    response = client.post("/primeiro-acesso/dados", data={**DADOS, **dados})
    assert response.status_code == 422
    assert re.search(rf'id="{campo}-erro">.*{re.escape(mensagem)}', response.get_data(as_text=True))
    assert outbox == []
    with db.connection_context():
        assert not Conta.select().where(Conta.cpf == "22233366638").exists()


def test_second_step_without_the_first_goes_back_to_the_start(client, app):
    response = client.get("/primeiro-acesso/dados")
    assert response.status_code == 303
    assert response.headers["Location"] == "/primeiro-acesso"


def test_an_unfinished_sign_up_can_be_started_again_and_the_old_link_dies(client, app, outbox):
    cadastrar(client)
    cadastrar(client, email="ana.nova@example.com")
    assert [m.to for m in outbox] == [["ana@example.com"], ["ana.nova@example.com"]]
    assert client.get(link_do_email(outbox[0])).status_code == 404
    assert client.get(link_do_email(outbox[1])).status_code == 303


def test_esqueci_minha_senha_emails_the_link_to_the_registered_address(client, demo, outbox):
    response = client.post("/esqueci-minha-senha", data={"cpf": "123.456.789-09"})
    assert response.status_code == 200
    assert [m.to for m in outbox] == [["maria@example.com"]]
    client.get(link_do_email(outbox[0]))
    assert client.post("/definir-senha", data={"senha": "nova-senha-1",
                                               "confirmacao": "nova-senha-1"}).status_code == 303
    client.post("/sair")
    assert login(client, "123.456.789-09", "demo12345").status_code == 422
    assert login(client, "123.456.789-09", "nova-senha-1").status_code == 303


def test_esqueci_minha_senha_answers_the_same_for_an_unknown_cpf(client, demo, outbox):
    conhecido = text(client.post("/esqueci-minha-senha", data={"cpf": "123.456.789-09"}))
    desconhecido = client.post("/esqueci-minha-senha", data={"cpf": "390.533.447-05"})
    assert desconhecido.status_code == 200
    assert text(desconhecido) == conhecido
    assert len(outbox) == 1


def test_esqueci_minha_senha_bad_cpf_is_shown_at_the_field(client, app, outbox):
    response = client.post("/esqueci-minha-senha", data={"cpf": "111.111.111-11"})
    assert response.status_code == 422
    assert re.search(r'id="cpf-erro">.*CPF inválido', response.get_data(as_text=True))
    assert 'value="111.111.111-11"' in response.get_data(as_text=True)


@pytest.mark.parametrize("senha, confirmacao, campo, mensagem", [
    ("curta", "curta", "senha", "A senha deve ter pelo menos 8 caracteres."),
    ("senha-longa-1", "senha-longa-2", "confirmacao", "As senhas não são iguais."),
    ("senha-longa-1", "", "confirmacao", "Digite a nova senha mais uma vez"),
])
def test_definir_senha_checks_length_and_confirmation(client, app, outbox, senha, confirmacao,
                                                      campo, mensagem):
    cadastrar(client)
    client.get(link_do_email(outbox[0]))
    response = client.post("/definir-senha", data={"senha": senha, "confirmacao": confirmacao})
    assert response.status_code == 422
    assert re.search(rf'id="{campo}-erro">.*{re.escape(mensagem)}', response.get_data(as_text=True))
    with db.connection_context():
        assert Conta.get(Conta.cpf == "22233366638").senha_hash == ""


def test_the_link_works_once(client, app, outbox):
    cadastrar(client)
    link = link_do_email(outbox[0])
    client.get(link)
    client.post("/definir-senha", data={"senha": "s3nha-boa", "confirmacao": "s3nha-boa"})
    client.post("/sair")
    usado = client.get(link)
    assert usado.status_code == 404
    assert "Este link não está mais ativo" in text(usado)


def test_an_expired_or_mangled_link_says_what_to_do(client, app, outbox):
    cadastrar(client)
    link = link_do_email(outbox[0])
    mangled = client.get(link[:-5])
    assert mangled.status_code == 404 and "Pedir um novo link" in text(mangled)
    with db.connection_context():
        TokenConta.update(expira_em=utcnow() - timedelta(minutes=1)).execute()
    expirado = client.get(link)
    assert expirado.status_code == 404
    assert "ana@example.com" not in text(expirado) and "Ana" not in text(expirado)
    assert client.get("/definir-senha").status_code == 404


def test_the_link_expires_after_the_configured_hours(client, app, outbox):
    cadastrar(client)
    with db.connection_context():
        token = TokenConta.get()
        validade = token.expira_em - token.criado_em
    assert timedelta(hours=23, minutes=59) < validade <= timedelta(hours=24)


def test_next_brings_a_new_buyer_back_to_the_purchase(client, app, outbox):
    cadastrar(client, next_url="/pedidos/processos")
    link = link_do_email(outbox[0])
    assert "next=/pedidos/processos" in link
    client.get(link)
    feito = client.post("/definir-senha", data={"senha": "s3nha-boa", "confirmacao": "s3nha-boa"})
    assert feito.headers["Location"] == "/pedidos/processos"
    assert client.get("/pedidos/processos").status_code == 200


def test_an_external_next_is_ignored(client, app, outbox):
    cadastrar(client, next_url="https://evil.example/x")
    client.get(link_do_email(outbox[0]))
    feito = client.post("/definir-senha", data={"senha": "s3nha-boa", "confirmacao": "s3nha-boa"})
    assert feito.headers["Location"] == "/"


@pytest.mark.parametrize("config_overrides", [{"LOGIN_RATE_LIMIT": "2 per minute"}])
def test_account_forms_are_rate_limited(client, app, outbox):
    for _ in range(2):
        assert client.post("/esqueci-minha-senha", data={"cpf": "390.533.447-05"}).status_code == 200
    assert client.post("/esqueci-minha-senha", data={"cpf": "390.533.447-05"}).status_code == 429
    for _ in range(2):
        client.post("/primeiro-acesso", data={"cpf": "1"})
    assert client.post("/primeiro-acesso", data=NOVO).status_code == 429
