"""Abuse limits: password links per account and per IP, a new link revoking the previous
one, the same answer whether or not the CPF exists; login limited per IP + CPF with a softer
ceiling per IP, so one attacker cannot lock out a whole office; the real client IP behind a
trusted proxy. And HSTS outside debug."""
import re

import pytest

from app import create_app
from tests.support.ambiente import TEST_CONFIG
from tests.support.http import login, text

MARIA, JOSE = "123.456.789-09", "111.444.777-35"


@pytest.fixture
def config_overrides():
    return {"LOGIN_RATE_LIMIT": "3 per minute", "LOGIN_IP_RATE_LIMIT": "8 per minute",
            "LINKS_SENHA_POR_HORA": 2}


def pedir_link(client, cpf, ip="10.0.0.1"):
    return client.post("/esqueci-minha-senha", data={"cpf": cpf},
                       environ_base={"REMOTE_ADDR": ip})


def test_password_links_per_account_are_limited_with_the_same_answer(app, demo, outbox):
    respostas = [pedir_link(app.test_client(), MARIA, ip=f"10.0.0.{n}") for n in range(1, 5)]
    assert [r.status_code for r in respostas] == [200] * 4
    assert len({text(r) for r in respostas}) == 1
    assert len(outbox) == 2  # LINKS_SENHA_POR_HORA


def test_the_answer_is_the_same_whether_or_not_the_cpf_exists(app, demo, outbox):
    existe = pedir_link(app.test_client(), MARIA)
    nao_existe = pedir_link(app.test_client(), "390.533.447-05", ip="10.0.0.2")
    assert existe.status_code == nao_existe.status_code == 200
    assert text(existe) == text(nao_existe)
    assert len(outbox) == 1


def test_password_links_per_ip_are_limited(app, demo):
    client = app.test_client()
    estados = [pedir_link(client, cpf).status_code
               for cpf in ("390.533.447-05", "714.602.380-01", MARIA, JOSE)]
    assert estados == [200, 200, 200, 429]


def test_a_new_password_link_revokes_the_previous_one(app, demo, outbox):
    pedir_link(app.test_client(), MARIA)
    pedir_link(app.test_client(), MARIA, ip="10.0.0.2")
    primeiro, segundo = (re.search(r"/definir-senha/[^\s?]+", m.body).group(0) for m in outbox)
    assert app.test_client().get(primeiro).status_code == 404
    assert app.test_client().get(segundo).status_code == 303


def test_wrong_passwords_for_one_cpf_do_not_lock_others_out_of_the_same_ip(app, demo):
    client = app.test_client()
    erradas = [login(client, MARIA, "errada").status_code for _ in range(4)]
    assert erradas == [422, 422, 422, 429]
    assert login(app.test_client(), JOSE, "demo12345").status_code == 303


def test_right_passwords_do_not_use_up_the_limit(app, demo):
    assert [login(app.test_client(), MARIA, "demo12345").status_code
            for _ in range(5)] == [303] * 5


def test_one_ip_trying_many_cpfs_meets_the_softer_ceiling(app, demo):
    client = app.test_client()
    cpfs = ["390.533.447-05", "714.602.380-01", MARIA, JOSE, "529.982.247-25",
            "222.333.666-38", "987.654.321-00", "390.533.447-05"]
    assert all(login(client, cpf, "errada").status_code == 422 for cpf in cpfs)
    assert login(client, JOSE, "demo12345").status_code == 429


@pytest.mark.parametrize("proxies, bloqueado", [(1, False), (0, True)])
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(app, demo, proxies, bloqueado):
    atras = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"],
                        "LOGIN_RATE_LIMIT": "3 per minute", "TRUSTED_PROXIES": proxies})
    client = atras.test_client()
    for _ in range(3):
        client.post("/entrar", data={"cpf": MARIA, "senha": "errada"},
                    headers={"X-Forwarded-For": "203.0.113.7"})
    outro = client.post("/entrar", data={"cpf": MARIA, "senha": "demo12345"},
                        headers={"X-Forwarded-For": "198.51.100.9"})
    # Untrusted, X-Forwarded-For is ignored: everyone behind the proxy shares one bucket.
    assert outro.status_code == (429 if bloqueado else 303)


def test_hsts_outside_debug(client, demo):
    hsts = client.get("/entrar").headers["Strict-Transport-Security"]
    idade = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert idade >= 365 * 24 * 3600 and "includeSubDomains" in hsts


def test_no_hsts_in_debug(app, client, demo):
    app.debug = True
    assert "Strict-Transport-Security" not in client.get("/entrar").headers


def test_a_limit_that_is_not_a_routes_still_counts_before_every_request():
    # The portal's limiter skips its check before each request while every limit is a
    # route's; a default limit, added later, must still be counted there.
    from flask import Flask
    from flask_limiter.util import get_remote_address

    from web.extensoes import LimitesNasRotas

    app = Flask(__name__)
    limitador = LimitesNasRotas(get_remote_address, app=app, default_limits=["2 per minute"],
                                storage_uri="memory://")

    @app.get("/")
    def livre():
        return "ok"

    @app.get("/rota")
    @limitador.limit("1 per minute")
    def limitada():
        return "ok"

    client = app.test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    assert [client.get("/rota").status_code for _ in range(2)] == [200, 429]
