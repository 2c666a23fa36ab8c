"""The settings every test app starts from, the instant the `relogio` fixture stops the clock
at, and where each test's database lives."""
import os
from datetime import datetime, time

from models import ALL_MODELS, db
from relogio import TZ

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "SESSION_COOKIE_SECURE": False,
    "LOGIN_RATE_LIMIT": "1000 per minute",
    "LOGIN_IP_RATE_LIMIT": "1000 per minute",
    "BASE_URL": "http://portal.test",
    "PIX_CHAVE": "12345678909",
    # Delivered messages stay in memory (app.extensions["mailman"].outbox), never in instance/.
    "MAIL_BACKEND": "locmem",
    "HUEY_IMMEDIATE": True,  # jobs run inline, in memory
}

# Monday 21/12/2026, 09:00 in Brasília: Christmas (Friday 25/12) falls inside the booking horizon.
AGORA = datetime(2026, 12, 21, 9, 0, tzinfo=TZ)

# The tests that leave the clock running see the hour the suite runs at: between 21:00 and 24:00
# in Brasília UTC is already on the next day, and a test that takes one date for the other fails
# only then. TEST_RELOGIO=HH:MM starts each of them at that hour of today in Brasília, so
# TEST_RELOGIO=23:30 (.ci/run, on SQLite) makes such a test fail whatever the hour.
HORA = time.fromisoformat(os.environ["TEST_RELOGIO"]) if os.environ.get("TEST_RELOGIO") else None

# Password of the demo AC the tests create once per run (conftest's `ac_demo`).
AC_SENHA = "senha-da-ac-de-teste"


def database_url(tmp_path):
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


def empty_database():
    if db.obj is not None and not db.obj.__class__.__name__.startswith("Sqlite"):
        with db.connection_context():
            # The migration history (not a model) stays: the tables it describes stay too.
            tables = ", ".join(f'"{m._meta.table_name}"' for m in ALL_MODELS)
            db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
