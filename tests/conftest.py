"""Fixtures for every test: an app on a clean database, a client, demo data, logins.

The database is SQLite in a fresh temporary file per test, or, when DATABASE_URL points
at PostgreSQL, that database with every table emptied between tests.
"""
import os
from datetime import datetime

import pytest

import relogio as clock
from app import create_app
from models import db
from tests.support.ambiente import (AC_SENHA, AGORA, HORA, TEST_CONFIG, database_url,
                                    empty_database)
from tests.support.http import login


def pytest_configure(config):
    """Under pytest-xdist each worker gets its own PostgreSQL database (`<name>_gw0`, …),
    made anew for the run, so workers never empty each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("DATABASE_URL", "")
    if not worker or not url.startswith("postgres"):
        return
    import psycopg2

    base, name = url.rsplit("/", 1)
    own = f"{name}_{worker}"
    admin = psycopg2.connect(f"{base}/{name}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{own}"')
    admin.close()
    os.environ["DATABASE_URL"] = f"{base}/{own}"


def pytest_make_parametrize_id(config, val, argname):
    """Bytes parameters are named by their length: made files carry their creation time, and
    pytest-xdist refuses a run whose workers collected different ids."""
    if isinstance(val, (bytes, bytearray)):
        return f"{argname}-{len(val)}B"
    return None


class Relogio:
    """The app's one clock (relogio), stopped; assign `agora` to move it."""

    @property
    def agora(self):
        return clock.agora()

    @agora.setter
    def agora(self, instante):
        clock.parar(instante)


@pytest.fixture(autouse=True)
def hora_do_teste():
    """Under TEST_RELOGIO (tests/support/ambiente.py) the running clock starts each test at that
    hour in Brasília, today; the `relogio` fixture still stops it at AGORA."""
    if HORA is None:
        yield
        return
    clock.correr_desde(datetime.combine(clock.hoje(), HORA, clock.TZ))
    yield
    clock.correr_desde(None)


@pytest.fixture
def relogio():
    """Stop every "now" and "today" of the app (and of tests, which read relogio) at
    AGORA until the test ends. Data built before (e.g. the demo data, when `demo` comes first
    in the test's fixtures) keeps the dates of the running clock."""
    parado = Relogio()
    parado.agora = AGORA
    yield parado
    clock.parar(None)


@pytest.fixture
def config_overrides():
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture(scope="session")
def ac_dir(tmp_path_factory):
    """Where the demo AC lives for this test run (created by `ac_demo` only when a test needs
    it: its 4096-bit root key takes a moment)."""
    return str(tmp_path_factory.getbasetemp() / "ac")


@pytest.fixture(scope="session")
def ac_demo(ac_dir):
    from services.certificacao import ac

    ac.criar(ac_dir, AC_SENHA)
    return ac_dir


@pytest.fixture
def app(tmp_path, config_overrides, ac_dir):
    import migrations

    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url(tmp_path), "AC_DIR": ac_dir,
                      "AC_CHAVE_SENHA": AC_SENHA, **config_overrides})
    with db.connection_context():
        migrations.migrate()
    empty_database()
    with db.connection_context():
        from services.pagamento.compras import garantir_produto

        garantir_produto(app.config["PRECO_CENTAVOS"])
    yield app
    empty_database()
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):  # a PostgreSQL pool: the next test's app has its own
        db.obj.close_all()


@pytest.fixture
def demo(app):
    """The demo data README lists (Maria, the agent, José and their purchases)."""
    from cli import dados_demo

    with app.app_context(), db.connection_context():
        dados_demo.criar()
    return dados_demo


@pytest.fixture
def dbconn(app):
    """A connection for tests that read or write models directly."""
    with db.connection_context():
        yield db


@pytest.fixture
def outbox(app):
    """Messages delivered by the locmem backend (the tests' default)."""
    app.extensions["mailman"].outbox = []
    return app.extensions["mailman"].outbox


@pytest.fixture
def maria(client, demo):
    """A client signed in as the demo buyer Maria da Silva."""
    response = login(client, "123.456.789-09", "demo12345")
    assert response.status_code == 303
    return client


@pytest.fixture
def agente(client, demo):
    response = login(client, "987.654.321-00", "agente12345")
    assert response.status_code == 303
    return client
