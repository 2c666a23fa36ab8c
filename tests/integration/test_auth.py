"""Entrar with CPF and password; Sair; what a person sees when it goes wrong."""
import pytest

from tests.support.http import login, text


def test_login_page_asks_cpf_and_password(client, demo):
    page = text(client.get("/entrar"))
    assert "Entrar na Área do Cliente" in page and "CPF" in page and "Senha" in page


@pytest.mark.parametrize("cpf", ["123.456.789-09", "12345678909", " 123 456 789 09 "])
def test_cpf_is_accepted_with_or_without_dots_and_dash(client, demo, cpf):
    response = login(client, cpf, "demo12345")
    assert response.status_code == 303
    assert "Maria" in text(client.get("/"))


def test_wrong_password_gets_a_generic_message_and_keeps_the_cpf(client, demo):
    response = login(client, "123.456.789-09", "errada")
    assert response.status_code == 422
    assert "CPF ou senha inválidos" in text(response)
    assert 'value="123.456.789-09"' in response.get_data(as_text=True)
    assert "<title>Erro: " in response.get_data(as_text=True)


def test_unknown_cpf_gets_the_same_message(client, demo):
    response = login(client, "529.982.247-25", "demo12345")
    assert response.status_code == 422
    assert "CPF ou senha inválidos" in text(response)


@pytest.mark.parametrize("cpf, mensagem", [
    ("123.456.789-00", "CPF inválido"),
    ("111.111.111-11", "CPF inválido"),
    ("123.abc.789-09", "apenas números"),
    ("1234", "11 dígitos"),
    ("", "Informe o CPF"),
])
def test_bad_cpf_is_explained_at_the_field_and_kept(client, demo, cpf, mensagem):
    response = login(client, cpf, "demo12345")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert mensagem in body
    assert 'id="cpf-erro"' in body
    if cpf:
        assert f'value="{cpf}"' in body


def test_empty_password_is_explained_at_the_field(client, demo):
    response = login(client, "123.456.789-09", "")
    assert response.status_code == 422
    assert "Informe a senha" in text(response)


def test_logout_is_a_post_and_ends_the_session(maria):
    assert maria.get("/sair").status_code == 405
    assert maria.post("/sair").status_code == 303
    assert maria.get("/pedidos/").status_code == 303


def test_pages_of_the_account_ask_to_log_in_first(client, demo):
    response = client.get("/pedidos/processos")
    assert response.status_code == 303
    assert "/entrar?next=/pedidos/processos" in response.headers["Location"]


def test_after_login_the_person_returns_where_they_were_going(client, demo):
    response = client.post("/entrar?next=/pedidos/processos",
                           data={"cpf": "12345678909", "senha": "demo12345"})
    assert response.headers["Location"] == "/pedidos/processos"


def test_next_never_leads_to_another_site(client, demo):
    response = client.post("/entrar?next=//evil.example/x",
                           data={"cpf": "12345678909", "senha": "demo12345"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("config_overrides", [{"LOGIN_RATE_LIMIT": "3 per minute"}])
def test_login_attempts_are_rate_limited(client, demo):
    for _ in range(3):
        assert login(client, "123.456.789-09", "errada").status_code == 422
    response = login(client, "123.456.789-09", "errada")
    assert response.status_code == 429
    assert "Muitas tentativas" in text(response)


def test_session_cookie_is_httponly_and_samesite(client, demo):
    response = login(client, "123.456.789-09", "demo12345")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
