"""Schema versions, on Peewee's own runner (playhouse.migrations). Each script here named
`NNNN_what.py` (0001, 0002, … no gaps) defines `up(migrator, db)`; `migrate()` runs, in order
and each in its own transaction, the ones the history table (`schema_migration`, one row per
script name) does not list yet. A new database starts at 0001 (the initial tables). How to
add one, and why SQLite's foreign keys are checked here: docs/migracoes.md.
"""
import os
import re
from contextlib import contextmanager

from peewee import DateTimeField
from playhouse.migrate import SqliteMigrator
from playhouse.migrations import Migration, MigrationError, Runner

import relogio
from models import db

PASTA = os.path.dirname(os.path.abspath(__file__))
HISTORICO = "schema_migration"
_NOME = re.compile(r"^\d{4}_\w+$")


def _nomes():
    # The runner orders by number and records by name; a gap or a repeated number (two
    # branches merged) would apply scripts in an order nobody wrote, so the app does not start.
    nomes = [m.name for m in Migration.load_directory(PASTA)]
    if (not all(_NOME.match(n) for n in nomes)
            or [int(n[:4]) for n in nomes] != list(range(1, len(nomes) + 1))):
        raise RuntimeError("As migrações devem ser numeradas 0001, 0002, … sem lacunas nem "
                           f"números repetidos: {nomes} (veja docs/migracoes.md).")
    return nomes


NOMES = _nomes()


class _SqliteMigrator(SqliteMigrator):
    """The library turns SQLite's foreign keys off around each migration (a column change
    copies its table and drops the old one, which the check refuses while other tables point
    at its rows) but never looks at what that left behind. SQLite's own procedure for ALTER
    TABLE ends with a check; here it runs before the commit, so a bad migration rolls back."""

    @contextmanager
    def migration_context(self, atomic=True):
        with super().migration_context(atomic):
            yield
            soltas = self.database.execute_sql("PRAGMA foreign_key_check").fetchall()
            if soltas:
                raise MigrationError(f"A migração deixou referências sem destino: {soltas[:5]}")


def _runner(database):
    runner = Runner(database, PASTA, table_name=HISTORICO)
    if isinstance(runner.migrator, SqliteMigrator):
        runner.migrator = _SqliteMigrator(database)
    # Stored like every other instant of the app: naive UTC, from the one clock.
    runner.History._meta.add_field("applied", DateTimeField(default=relogio.utcnow))
    return runner


def _adotar_versao_antiga(runner):
    """The earlier runner kept only a version number, in `schema_version`: the scripts up to
    it are recorded as applied, without running them again (0007 then drops that table)."""
    database = runner.database
    if runner.History.table_exists() or not database.table_exists("schema_version"):
        return
    versao = database.execute_sql("SELECT MAX(versao) FROM schema_version").fetchone()[0]
    if versao:
        with database.atomic():
            runner.fake(NOMES[versao - 1])


def migrate(database=None, ate=None):
    """Bring `database` (the app's by default) up to the script named `ate` (the latest by
    default); returns the names applied now."""
    runner = _runner(database or db.obj)
    _adotar_versao_antiga(runner)
    return runner.up(ate)


def aplicadas(database=None):
    """The names of the scripts `database` has applied, in order."""
    return [m.name for m in _runner(database or db.obj).status() if m.applied]
