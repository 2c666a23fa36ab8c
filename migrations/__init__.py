"""Schema versions, with playhouse.migrate. Each module here named `NNNN_what.py` (0001, 0002,
… no gaps) is one version: a function `migrar(migrator)` that changes the schema through
playhouse.migrate's migrator. `migrate()` runs, in order and each in its own transaction,
the ones a database has not seen yet, and records each version in `schema_version`. A new
database starts at 0001 (the initial tables). How to add one: docs/migracoes.md.
"""
import importlib
import pkgutil
import re
from contextlib import contextmanager

from peewee import SqliteDatabase
from playhouse.migrate import SchemaMigrator

from models import SchemaVersion, db

_NOME = re.compile(r"^(\d{4})_\w+$")


def _descobrir():
    nomes = sorted(nome for _, nome, _ in pkgutil.iter_modules(__path__) if _NOME.match(nome))
    numeros = [int(nome[:4]) for nome in nomes]
    if numeros != list(range(1, len(nomes) + 1)):
        raise RuntimeError("As migrações devem ser numeradas 0001, 0002, … sem lacunas nem "
                           f"números repetidos: {nomes} (veja docs/migracoes.md).")
    return [importlib.import_module(f"{__name__}.{nome}") for nome in nomes]


MIGRACOES = _descobrir()
ULTIMA = len(MIGRACOES)


def versao_atual(database=None):
    database = database or db.obj
    with database.bind_ctx([SchemaVersion]):
        if not SchemaVersion.table_exists():
            return 0
        ultima = SchemaVersion.select().order_by(SchemaVersion.versao.desc()).first()
        return ultima.versao if ultima else 0


@contextmanager
def _chaves_estrangeiras_adiadas(database):
    """SQLite changes a column by copying its table and dropping the old one, which its
    foreign-key check refuses while other tables point at the rows. SQLite's own procedure
    for ALTER TABLE: keys off around the change (it cannot switch inside a transaction),
    then a check that nothing was left dangling."""
    if not isinstance(database, SqliteDatabase):
        yield
        return
    database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
        soltas = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        if soltas:
            raise RuntimeError(f"A migração deixou referências sem destino: {soltas[:5]}")
    finally:
        database.execute_sql("PRAGMA foreign_keys = ON")


def migrate(database=None, ate=None):
    """Bring `database` (the app's by default) to version `ate` (the latest by default);
    returns the version reached."""
    database = database or db.obj
    ate = ULTIMA if ate is None else ate
    migrator = SchemaMigrator.from_database(database)
    versao = versao_atual(database)
    for numero in range(versao + 1, ate + 1):
        with (_chaves_estrangeiras_adiadas(database), database.atomic(),
              database.bind_ctx([SchemaVersion])):
            MIGRACOES[numero - 1].migrar(migrator)
            SchemaVersion.create(versao=numero)
    return max(versao, ate)
