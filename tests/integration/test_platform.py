"""What every page shares: headers, error pages, embedding, static files, CLI and schema."""
import pytest
from peewee import IntegrityError

import migrations
from models import Conta, Evento, db
from tests.support.http import text


def test_pages_send_a_strict_content_security_policy(client, demo):
    csp = client.get("/entrar").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize("config_overrides", [{"EMBED_ORIGINS": ["https://www.gov.br"]}])
def test_configured_hosts_may_frame_the_portal(client, demo):
    csp = client.get("/entrar").headers["Content-Security-Policy"]
    assert "frame-ancestors https://www.gov.br" in csp


def test_inside_an_iframe_the_page_drops_its_own_header_and_footer(client, demo):
    normal = client.get("/entrar").get_data(as_text=True)
    framed = client.get("/entrar", headers={"Sec-Fetch-Dest": "iframe"}).get_data(as_text=True)
    assert 'class="topo"' in normal and 'class="rodape"' in normal
    assert 'class="topo"' not in framed and 'class="rodape"' not in framed
    assert "Entrar na Área do Cliente" in framed


def test_embedded_mode_needs_a_partitioned_cross_site_cookie():
    from configuracao import ambiente

    config = ambiente.from_environment("/tmp", debug=False)
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    import os

    os.environ["EMBED_ORIGINS"] = "https://www.gov.br"
    try:
        config = ambiente.from_environment("/tmp", debug=False)
    finally:
        del os.environ["EMBED_ORIGINS"]
    assert config["SESSION_COOKIE_SAMESITE"] == "None"
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_PARTITIONED"]


def test_personal_pages_are_never_cached(maria):
    assert maria.get("/pedidos/processos").headers["Cache-Control"] == "no-store"


def test_static_files_are_fingerprinted_and_immutable(client, demo):
    html = client.get("/entrar").get_data(as_text=True)
    assert "/static/css/app.css?v=" in html
    assert '<script src="/static/vendor/htmx.min.js?v=' in html and "defer" in html


def test_unknown_page_is_a_404_in_portuguese(client, demo):
    response = client.get("/nao-existe")
    assert response.status_code == 404
    assert "Página não encontrada" in text(response)


def test_a_database_error_shows_a_500_page_and_writes_nothing(app, client, demo):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_quebra")
    def quebra():
        with db.atomic():
            Evento.create(processo=1, ator="x", tipo="teste.parcial")
            Conta.create(cpf="12345678909", nome="Duplicada", email="x@example.com")
        return "não chega aqui"

    response = client.get("/_quebra")
    assert response.status_code == 500
    assert "Erro no sistema" in text(response) and "Traceback" not in text(response)
    with db.connection_context():
        assert not Evento.select().where(Evento.tipo == "teste.parcial").exists()


def test_secret_key_is_required_outside_debug_and_tests(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_init_db_and_demo_data_are_idempotent(app):
    runner = app.test_cli_runner()
    assert "versão do esquema" in runner.invoke(args=["init-db"]).output
    assert "versão do esquema" in runner.invoke(args=["init-db"]).output
    assert "criados" in runner.invoke(args=["demo-data"]).output
    assert "já existiam" in runner.invoke(args=["demo-data"]).output
    with db.connection_context():
        assert Conta.select().count() == 4
        assert migrations.aplicadas() == migrations.NOMES  # each script recorded once


def test_demo_accounts_have_unique_cpfs(app, demo):
    with db.connection_context(), pytest.raises(IntegrityError), db.atomic():
        Conta.create(cpf="98765432100", nome="Outra", email="o@example.com")


def test_a_refused_state_move_is_explained_not_a_crash(app, client, demo):
    from services.nucleo.ciclo_de_vida import TransicaoInvalida

    @app.get("/_recusa")
    def recusa():
        raise TransicaoInvalida("Este certificado já foi emitido.")

    response = client.get("/_recusa")
    assert response.status_code == 409
    assert "Este certificado já foi emitido." in text(response)


@pytest.mark.skipif(not __import__("os").environ.get("TEST_REDIS_URL"),
                    reason="TEST_REDIS_URL not set: Redis rate-limit storage not exercised")
def test_login_rate_limit_can_live_on_redis(tmp_path):
    import os
    import uuid

    from app import create_app
    from tests.support.ambiente import TEST_CONFIG, database_url
    from tests.support.http import login
    import migrations
    from cli import dados_demo

    url = os.environ["TEST_REDIS_URL"]
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url(tmp_path), "REDIS_URL": url,
                      "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex, "LOGIN_RATE_LIMIT": "2 per minute"})
    assert app.config["RATELIMIT_STORAGE_URI"] == url
    with db.connection_context():
        migrations.migrate()
    with app.app_context(), db.connection_context():
        dados_demo.criar()
    client = app.test_client()
    codes = [login(client, "123.456.789-09", "x").status_code for _ in range(3)]
    assert codes == [422, 422, 429]
