"""When a service is down: the database unreachable is a 503 in Portuguese that asks to
retry, for pages and htmx alike; Redis unreachable leaves the site serving (rate limits
fail open with a warning, e-mail stays pending in the outbox and goes later)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from tests.support.ambiente import TEST_CONFIG
from tests.support.http import htmx_headers, text

RAIZ = Path(__file__).resolve().parents[2]
PORTA_MORTA = "127.0.0.1:1"


@pytest.fixture
def sem_banco():
    app = create_app({**TEST_CONFIG,
                      "DATABASE_URL": f"postgresql://root@{PORTA_MORTA}/ninguem"})
    return app.test_client()


@pytest.mark.parametrize("metodo, caminho", [("get", "/entrar"), ("get", "/pedidos/"),
                                             ("post", "/entrar"), ("get", "/ajuda/")])
def test_database_down_is_a_503_in_portuguese_with_a_retry_hint(sem_banco, metodo, caminho):
    resposta = getattr(sem_banco, metodo)(caminho)
    assert resposta.status_code == 503
    assert resposta.headers["Retry-After"] == "60"
    pagina = text(resposta)
    assert "Sistema indisponível no momento" in pagina and "Tente de novo em 1 minuto" in pagina


def test_database_down_answers_htmx_requests_with_the_same_503(sem_banco):
    resposta = sem_banco.get("/certificados/lista", headers=htmx_headers())
    assert resposta.status_code == 503
    assert "Tente de novo em 1 minuto" in text(resposta)


def test_static_files_are_served_without_the_database(sem_banco):
    assert sem_banco.get("/static/css/app.css").status_code == 200


# Run in its own process: the job queue is bound to REDIS_URL when filas/consumidor.py is imported.
SEM_REDIS = r"""
import json, logging, sys
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
from app import create_app
from models import Email, db
import migrations
from cli import dados_demo
app = create_app({"WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                  "MAIL_BACKEND": "locmem", "LOGIN_RATE_LIMIT": "3 per minute"})
with app.app_context(), db.connection_context():
    migrations.migrate()
    dados_demo.criar()
client = app.test_client()
entrar = [client.post("/entrar", data={"cpf": "123.456.789-09", "senha": "errada"}).status_code
          for _ in range(4)]
certo = client.post("/entrar", data={"cpf": "111.444.777-35", "senha": "demo12345"})
pedidos = client.get("/pedidos/").status_code
esqueci = client.post("/esqueci-minha-senha", data={"cpf": "987.654.321-00"}).status_code
with app.app_context(), db.connection_context():
    pendentes = Email.select().where(Email.situacao == "pendente").count()
print(json.dumps({"entrar": entrar, "certo": certo.status_code, "pedidos": pedidos,
                  "esqueci": esqueci, "pendentes": pendentes}))
"""


def test_redis_down_the_site_still_serves_and_e_mail_waits(tmp_path):
    env = {**os.environ, "REDIS_URL": f"redis://{PORTA_MORTA}/5", "SECRET_KEY": "s",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    feito = subprocess.run([sys.executable, "-c", SEM_REDIS], cwd=RAIZ, env=env,
                           capture_output=True, text=True, timeout=120)
    assert feito.returncode == 0, feito.stderr
    resultado = json.loads(feito.stdout.strip().splitlines()[-1])
    # Rate limits carry on in the process's memory (never a 500 because Redis is gone),
    # with a warning; another person signs in.
    assert resultado["entrar"] == [422, 422, 422, 429] and resultado["certo"] == 303
    assert resultado["pedidos"] == 200
    # The action commits; its e-mail waits in the outbox for the queue to come back.
    assert resultado["esqueci"] == 200 and resultado["pendentes"] == 1
    assert "fila indisponível" in feito.stderr
    assert "rate limit" in feito.stderr.lower() or "storage" in feito.stderr.lower()
