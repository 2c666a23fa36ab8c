"""Secrets at rest: after links are issued the usual ways (assign, resend, reassign,
"Esqueci minha senha", "Primeiro acesso", a refused validation), neither a dump of every table
nor the logs hold a usable holder link or password link; the e-mail sent still has a
working one. gunicorn's access log (gunicorn.conf.py) masks the token paths."""
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from models import ALL_MODELS, Certificado, Email, db
from services.nucleo import segredos
from tests.support.http import login
from tests.support.solicitacao import JOAO_CPF

RAIZ = Path(__file__).resolve().parents[2]
LINK = re.compile(r"/(?:t|definir-senha)/([A-Za-z0-9_\-]{20,})")


def dump():
    """The text of every row of every table, as a backup would hold it."""
    with db.connection_context():
        return "\n".join(repr(linha) for modelo in ALL_MODELS
                         for linha in modelo.select().tuples())


def emitir_links_pelos_caminhos_de_sempre(app, client, outbox):
    """Links made the way people make them; returns the tokens the e-mails carried."""
    login(client, "123.456.789-09", "demo12345")
    with db.connection_context():
        disponivel = Certificado.get(Certificado.situacao == "disponivel").numero
        joao = Certificado.get(Certificado.titular_cpf == JOAO_CPF).numero
    form = client.get(f"/certificados/{disponivel}/atribuir").get_data(as_text=True)
    ocultos = dict(re.findall(r'name="(versao|chave)" type="hidden" value="([^"]*)"', form))
    assert client.post(f"/certificados/{disponivel}/atribuir",
                       data={"cpf": "111.444.777-35", "email": "ana@example.com",
                             "email_confirmacao": "ana@example.com", **ocultos}
                       ).status_code == 303
    assert client.post(f"/certificados/{joao}/reenviar",
                       data={"chave": "2" * 32}).status_code == 303
    client.post("/sair")
    anonimo = app.test_client()
    anonimo.post("/esqueci-minha-senha", data={"cpf": "123.456.789-09"})
    anonimo.post("/primeiro-acesso", data={"cpf": "714.602.380-01",
                                           "email": "novo@example.com"})
    anonimo.post("/primeiro-acesso/dados", data={"nome": "Nova Pessoa",
                                                 "celular": "(61) 99123-4567"})
    return [t for m in outbox for t in LINK.findall(m.body)]


def test_no_usable_link_in_a_database_dump_or_the_logs(app, demo, client, outbox, caplog):
    caplog.set_level(logging.DEBUG)
    tokens = emitir_links_pelos_caminhos_de_sempre(app, client, outbox)
    assert len(tokens) >= 4
    # Each e-mail's link works (the secret is rendered only when the message is sent)...
    for token in tokens:
        url = f"/t/{token}" if app.test_client().get(f"/t/{token}").status_code == 303 else \
            f"/definir-senha/{token}"
        assert app.test_client().get(url).status_code == 303, url
    # ...yet no copy of it is anywhere a reader of the database or the logs could look.
    texto = dump() + caplog.text
    encontrados = sum(texto.count(token) for token in tokens)
    print(f"\ntokens emitidos: {len(tokens)}; encontrados no dump do banco e nos logs: "
          f"{encontrados}")
    assert encontrados == 0


def test_the_outbox_keeps_a_placeholder_useless_without_the_secret_key(app, demo, client,
                                                                       outbox):
    tokens = emitir_links_pelos_caminhos_de_sempre(app, client, outbox)
    with app.test_request_context(), db.connection_context():
        corpos = [e.texto for e in Email.select()]
        assert any("__segredo_titular_" in c for c in corpos)
        assert any("__segredo_senha_" in c for c in corpos)
        app.config["SECRET_KEY"] = "a chave de quem só tem o backup"
        adivinhados = LINK.findall("\n".join(segredos.revelar(c) for c in corpos))
        app.config["SECRET_KEY"] = "test-secret"
    assert adivinhados and not set(adivinhados) & set(tokens)
    for token in adivinhados:
        assert app.test_client().get(f"/t/{token}").status_code in (404, 410)
        assert app.test_client().get(f"/definir-senha/{token}").status_code == 404


def porta_livre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """The production server, as configured by gunicorn.conf.py, with its access log."""
    porta, log = porta_livre(), tmp_path / "access.log"
    env = {**os.environ, "SECRET_KEY": "s", "DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
           "GUNICORN_BIND": f"127.0.0.1:{porta}", "WEB_CONCURRENCY": "1",
           "GUNICORN_ACCESSLOG": str(log), "HUEY_SQLITE_PATH": str(tmp_path / "huey.db"),
           "JOBS_EMBUTIDOS": "0"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "init-db"], cwd=RAIZ,
                   env=env, check=True, capture_output=True)
    processo = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                 "app:create_app()"], cwd=RAIZ, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{porta}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/entrar", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        yield base, log
    finally:
        processo.terminate()
        processo.wait(timeout=40)


def test_gunicorn_access_log_masks_token_paths(gunicorn):
    base, log = gunicorn
    tokens = ["tokenDoTitular_" + "x" * 30, "tokenDaSenha-" + "y" * 30]
    for caminho in (f"/t/{tokens[0]}", f"/definir-senha/{tokens[1]}?next=/pedidos/"):
        pedido = urllib.request.Request(base + caminho,
                                        headers={"Referer": f"{base}/t/{tokens[0]}"})
        try:
            urllib.request.urlopen(pedido, timeout=5)
        except urllib.error.HTTPError:
            pass  # unknown links: 404/410, still logged
    time.sleep(0.3)
    linhas = log.read_text()
    encontrados = sum(linhas.count(t) for t in tokens)
    print(f"\nlinhas do log de acesso: {len(linhas.splitlines())}; tokens encontrados: "
          f"{encontrados}")
    assert "/t/***" in linhas and "/definir-senha/***" in linhas
    assert encontrados == 0
