"""The database connection: bound from DATABASE_URL, taken per request, given back on teardown.

PostgreSQL connections come from a pool (DB_POOL_MAX per process): opening one costs a few
milliseconds, more than serving a small page. "Closing" a pooled connection returns it to
the pool; SQLite connections are cheap and are really opened and closed.
"""
import logging
import time

from flask import request
from psycopg2.extensions import TRANSACTION_STATUS_IDLE
from peewee import OperationalError
from playhouse.db_url import connect, parse
from playhouse.pool import PooledPostgresqlDatabase

from banco import consulta_pronta
from models import db

log = logging.getLogger(__name__)


class BancoIndisponivel(Exception):
    """The database could not be reached: the page says so (503) and asks to retry."""

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -8000,  # 8 MB
    "synchronous": "normal",
}


class PoolPostgres(PooledPostgresqlDatabase):
    """Peewee's pool asks the server whether a connection is alive (SELECT 1) each time it
    hands one out: a round trip more on every request, a fifth of a health check. Here only
    a connection that sat idle VERIFICAR_APOS seconds is asked; one given back a moment ago
    is alive unless its own state says otherwise. Should the server drop it in between, that
    one request gets the 503 page, and the connection is not reused."""

    VERIFICAR_APOS = 5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._devolvida_em = {}

    def _is_closed(self, conn):
        recente = time.monotonic() - self._devolvida_em.get(self.conn_key(conn), 0)
        if (recente < self.VERIFICAR_APOS and not conn.closed
                and conn.get_transaction_status() == TRANSACTION_STATUS_IDLE):
            return False
        return super()._is_closed(conn)

    def _close(self, conn, close_conn=False):
        if close_conn:
            self._devolvida_em.pop(self.conn_key(conn), None)
        else:
            self._devolvida_em[self.conn_key(conn)] = time.monotonic()
        super()._close(conn, close_conn)

    def _close_raw(self, conn):
        self._devolvida_em.pop(self.conn_key(conn), None)
        super()._close_raw(conn)


def open_database(url, pool_max=10):
    """A Peewee database for `url` (sqlite:///path or postgresql://...)."""
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS, autoconnect=False)
    if url.startswith(("postgres://", "postgresql://")):
        # Idle connections are renewed after 5 minutes; a request waits up to 10 s for one
        # when every connection of the pool is busy.
        return PoolPostgres(autoconnect=False, max_connections=pool_max,
                                        stale_timeout=300, timeout=10, **parse(url))
    return connect(url, autoconnect=False)


def responde():
    """One query, so a health check knows the database answers (raises otherwise)."""
    db.execute_sql("SELECT 1").fetchone()


def init_app(app):
    db.initialize(open_database(app.config["DATABASE_URL"], app.config["DB_POOL_MAX"]))
    consulta_pronta.PREPARAR = app.config["DB_COMANDOS_PREPARADOS"]

    @app.before_request
    def _connect():
        # A counted context: the connection closes when its last user (request, job,
        # CLI command or test) is done with it.
        if request.endpoint != "static":
            context = db.connection_context()
            try:
                context.__enter__()
            except OperationalError as error:
                # Nothing was entered, so teardown has nothing to exit.
                log.error("banco de dados inacessível: %s", error.__class__.__name__)
                raise BancoIndisponivel() from None
            request.db_context = context

    @app.teardown_request
    def _close(exc):
        # Popped: a test client may run teardown twice for one request.
        context = request.__dict__.pop("db_context", None)
        if context is not None:
            context.__exit__(None, None, None)
