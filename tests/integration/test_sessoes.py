"""Sessions end: "Sair", a new password, a role change and "Sair de todos os aparelhos" end
every session of the account at once (copies of the cookie included); an idle or too old
session ends by itself."""
import re

from models import Conta, db
from tests.support.http import login, text

MARIA = ("123.456.789-09", "demo12345")


def aparelho(app, cpf=MARIA[0], senha=MARIA[1]):
    """Another browser, signed in."""
    client = app.test_client()
    assert login(client, cpf, senha).status_code == 303
    return client


def copia(app, client):
    """A thief's browser holding a copy of `client`'s session cookie."""
    ladrao = app.test_client()
    ladrao.set_cookie("session", client.get_cookie("session").value)
    return ladrao


def entrou(client):
    return client.get("/pedidos/").status_code == 200


def test_sair_ends_every_session_of_the_account_and_copies_of_the_cookie(app, demo):
    celular, computador = aparelho(app), aparelho(app)
    roubada = copia(app, celular)
    assert entrou(celular) and entrou(computador) and entrou(roubada)
    assert celular.post("/sair").status_code == 303
    sobreviventes = sum(entrou(c) for c in (celular, computador, roubada))
    print(f"\nsessões que sobreviveram ao logout: {sobreviventes} de 3")
    assert sobreviventes == 0
    assert celular.get("/pedidos/").headers["Location"].startswith("/entrar")


def test_signing_in_again_after_sair_works(app, demo):
    celular = aparelho(app)
    celular.post("/sair")
    assert entrou(aparelho(app))


def test_a_new_password_ends_the_other_sessions(app, demo, outbox):
    antigo = aparelho(app)
    roubada = copia(app, antigo)
    novo = app.test_client()
    novo.post("/esqueci-minha-senha", data={"cpf": MARIA[0]})
    link = re.search(r"/definir-senha/\S+", outbox[-1].body).group(0)
    assert novo.get(link).status_code == 303
    assert novo.post("/definir-senha", data={"senha": "outra-senha-1",
                                             "confirmacao": "outra-senha-1"}).status_code == 303
    assert entrou(novo)
    assert not entrou(antigo) and not entrou(roubada)


def test_a_role_change_ends_the_sessions_of_that_account(app, demo):
    agente = aparelho(app, "987.654.321-00", "agente12345")
    assert agente.get("/agenda/").status_code == 200
    resultado = app.test_cli_runner().invoke(args=["conta", "papel", "98765432100", "comprador"])
    assert "sessões abertas desta conta terminaram" in resultado.output
    assert agente.get("/agenda/").headers["Location"].startswith("/entrar")
    # Signed in again, the account has its new role.
    agora_comprador = aparelho(app, "987.654.321-00", "agente12345")
    assert agora_comprador.get("/agenda/").status_code == 404


def test_minha_conta_is_in_the_menu_and_shows_who_is_signed_in(maria):
    pagina = maria.get("/conta/")
    assert pagina.status_code == 200
    assert "Minha conta" in text(maria.get("/pedidos/"))
    assert "Maria da Silva" in text(pagina) and "Sair de todos os aparelhos" in text(pagina)


def test_sair_de_todos_os_aparelhos(app, demo):
    celular, computador = aparelho(app), aparelho(app)
    resposta = computador.post("/conta/sair-de-todos-os-aparelhos")
    assert resposta.status_code == 303 and resposta.headers["Location"] == "/entrar"
    assert "saiu da Área do Cliente em todos os aparelhos" in text(computador.get("/entrar"))
    assert not entrou(celular) and not entrou(computador)


def test_an_idle_session_ends(app, demo):
    celular = aparelho(app)
    with celular.session_transaction() as sessao:
        sessao["visto_em"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 1
    assert not entrou(celular)


def test_an_active_session_ends_after_its_lifetime(app, demo):
    celular = aparelho(app)
    with celular.session_transaction() as sessao:
        sessao["entrou_em"] -= app.permanent_session_lifetime.total_seconds() + 1
    assert not entrou(celular)


def test_a_session_from_before_the_generation_column_is_no_session(app, demo):
    celular = aparelho(app)
    with celular.session_transaction() as sessao:
        del sessao["geracao"]
    assert not entrou(celular)


def test_idle_timeout_comes_from_settings(app, demo, monkeypatch):
    minutos = 5
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", minutos)
    celular = aparelho(app)
    with celular.session_transaction() as sessao:
        sessao["visto_em"] -= minutos * 60 - 30
    assert entrou(celular)
    with celular.session_transaction() as sessao:
        sessao["visto_em"] -= minutos * 60 + 1
    assert not entrou(celular)


def test_generation_is_per_account(app, demo):
    maria, jose = aparelho(app), aparelho(app, "111.444.777-35", "demo12345")
    maria.post("/sair")
    assert entrou(jose)
    with app.app_context(), db.connection_context():
        assert Conta.get(Conta.cpf == "11144477735").sessao_geracao == 1


def test_a_page_load_does_not_resend_an_unchanged_session_cookie(app, demo):
    """"Last seen" is written at most once a minute: the page loads in between send no
    Set-Cookie (nothing to re-sign), and the one after a minute moves it."""
    celular = aparelho(app)
    celular.get("/pedidos/")  # the CSRF token of the pages is in the session from here on
    respostas = [celular.get("/pedidos/") for _ in range(3)]
    assert [r.headers.get("Set-Cookie") for r in respostas] == [None, None, None]
    with celular.session_transaction() as sessao:
        sessao["visto_em"] -= 61
        visto_em = sessao["visto_em"]
    resposta = celular.get("/pedidos/")
    assert resposta.status_code == 200 and "session=" in resposta.headers["Set-Cookie"]
    with celular.session_transaction() as sessao:
        assert sessao["visto_em"] >= visto_em + 61
