"""Two hosts, one state: two gunicorn instances on two ports share PostgreSQL and Redis, and
a buyer's journey alternates between them (issue 10, item 6). Nothing a request needs lives
in one process's memory: the session is the signed cookie, the data is in PostgreSQL and
the login attempts are counted in Redis."""
import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from models import Certificado, Email
from services.nucleo import segredos

RAIZ = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REDIS = os.environ.get("TEST_REDIS_URL")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres") or not REDIS,
                       reason="needs DATABASE_URL (PostgreSQL) and TEST_REDIS_URL"),
]


def _porta():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dois_hosts(app, demo):
    # A window of a random number of minutes: this run's attempts get keys of their own.
    limite = f"4 per {random.randint(2, 10_000)} minutes"
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": REDIS,
           "SECRET_KEY": "dois-hosts", "SESSION_COOKIE_SECURE": "0", "JOBS_EMBUTIDOS": "0",
           "LOGIN_RATE_LIMIT": limite, "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2",
           "GUNICORN_LOGLEVEL": "warning", "BASE_URL": "http://portal.test"}
    processos, bases = [], []
    for _ in range(2):
        porta = _porta()
        processos.append(subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-c", "gunicorn.conf.py",
             "app:create_app()"], cwd=RAIZ, env={**env, "GUNICORN_BIND": f"127.0.0.1:{porta}"}))
        bases.append(f"http://127.0.0.1:{porta}")
    try:
        for base, processo in zip(bases, processos):
            for _ in range(150):
                assert processo.poll() is None, "gunicorn stopped"
                try:
                    urllib.request.urlopen(base + "/saude", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
        yield bases
    finally:
        for processo in processos:
            processo.terminate()
            processo.wait(timeout=30)
        from huey import RedisHuey

        RedisHuey("area-cliente", url=REDIS).flush()  # the e-mails they queued, unsent


class Navegador:
    """One browser (one cookie jar) that can talk to either host."""

    def __init__(self):
        self.abrir = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, url):
        with self.abrir.open(url, timeout=30) as r:
            return r.status, r.read().decode()

    def post(self, url, dados):
        try:
            with self.abrir.open(url, urllib.parse.urlencode(dados).encode(), timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as erro:
            return erro.code, erro.read().decode()


def _csrf(html):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_buyer_journey_alternating_between_two_hosts(app, dois_hosts, dbconn):
    a, b = dois_hosts
    maria = Navegador()
    _, html = maria.get(a + "/entrar")
    status, corpo = maria.post(b + "/entrar", {"csrf_token": _csrf(html), "cpf": "123.456.789-09",
                                           "senha": "demo12345"})
    assert status == 200, re.sub(r"<[^>]+>", " ", corpo)[-3000:]  # signed in on B with A's form
    _, lista = maria.get(a + "/certificados/lista")
    numero = (Certificado.select().where(Certificado.situacao == "disponivel").get().numero)
    assert numero in lista
    _, form = maria.get(b + f"/certificados/{numero}/atribuir")
    campos = dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', form))
    status, pagina = maria.post(a + f"/certificados/{numero}/atribuir", {
        "csrf_token": _csrf(form), **campos, "cpf": "70000000159",
        "email": "ana.titular@example.com", "email_confirmacao": "ana.titular@example.com"})
    assert status == 200 and "atribuído ao CPF" in pagina, re.sub(r"<[^>]+>", " ", pagina)[:3000]
    email = Email.select().where(Email.destinatario == "ana.titular@example.com").get()
    with app.app_context():  # the row keeps a placeholder; the hosts' key makes the link
        app.config["SECRET_KEY"] = "dois-hosts"
        texto = segredos.revelar(email.texto)
    caminho = re.search(r"http://portal\.test(/t/[A-Za-z0-9_-]+)", texto).group(1)
    titular = Navegador()
    titular.get(b + caminho)  # the link opens the holder's session on B...
    status, etapa = titular.get(a + f"/solicitacao/{numero}/dados")  # ...that A honours
    assert status == 200 and "Etapa 1 de 7" in etapa


def test_the_login_rate_limit_counts_attempts_on_both_hosts(dois_hosts):
    a, b = dois_hosts
    pessoa = Navegador()
    codigos = []
    for host in (a, b, a, b, a):
        _, html = pessoa.get(host + "/entrar")
        status, _ = pessoa.post(host + "/entrar", {"csrf_token": _csrf(html),
                                                   "cpf": "123.456.789-09", "senha": "errada"})
        codigos.append(status)
    assert codigos == [422, 422, 422, 422, 429]  # 4 per window, wherever they landed
