"""The database connection: bound from DATABASE_URL, opened per request, closed on teardown."""
from flask import request
from playhouse.db_url import connect

from models import db
import migrations

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -8000,  # 8 MB
    "synchronous": "normal",
}


def open_database(url):
    """A Peewee database for `url` (sqlite:///path or postgresql://...)."""
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS, autoconnect=False)
    return connect(url, autoconnect=False)


def init_app(app):
    db.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        if request.endpoint != "static":
            db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()

    @app.cli.command("init-db")
    def init_db_command():
        """Create the tables, or migrate an existing database (idempotent)."""
        from services.compras import garantir_produto

        with db.connection_context():
            version = migrations.migrate()
            garantir_produto(app.config["PRECO_CENTAVOS"])
        print(f"Banco de dados pronto (versão do esquema {version}).")
