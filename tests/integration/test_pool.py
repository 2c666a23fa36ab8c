"""The PostgreSQL pool (banco.conexao.PoolPostgres) hands out a connection given back a
moment ago without asking the server whether it is alive, asks about one that sat idle, and
replaces one the server dropped."""
import pytest
from playhouse.db_url import parse

from banco.conexao import PoolPostgres
from tests.support.ambiente import database_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(tmp_path):
    url = database_url(tmp_path)
    if not url.startswith("postgres"):
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    return url


@pytest.fixture
def pool(url):
    banco = PoolPostgres(autoconnect=False, max_connections=2, stale_timeout=300, **parse(url))
    yield banco
    banco.close_all()


@pytest.fixture
def outra_conexao(url):
    """A connection of another pool: it reads and ends the first pool's backends."""
    banco = PoolPostgres(autoconnect=False, **parse(url))
    with banco.connection_context():
        yield banco
    banco.close_all()


def usar(banco, marca):
    with banco.connection_context():
        banco.execute_sql(f"SELECT '{marca}'").fetchone()
        return banco.connection().info.backend_pid


def test_a_connection_given_back_a_moment_ago_is_handed_out_without_a_round_trip(
        pool, outra_conexao):
    pid = usar(pool, "primeira")
    assert usar(pool, "segunda") == pid
    with pool.connection_context():  # taken a third time
        assert pool.connection().info.backend_pid == pid
        ultima = outra_conexao.execute_sql(
            "SELECT query FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]
    assert ultima == "SELECT 'segunda'"  # no SELECT 1 when it was handed out


def test_a_connection_the_server_dropped_is_found_out_when_idle_and_replaced(
        pool, outra_conexao, monkeypatch):
    pid = usar(pool, "primeira")
    outra_conexao.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
    monkeypatch.setattr(PoolPostgres, "VERIFICAR_APOS", 0)  # as if it sat idle
    assert usar(pool, "depois") != pid
