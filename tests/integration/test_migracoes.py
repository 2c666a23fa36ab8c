"""Schema versions: a database at the first version (the initial tables), with data in it,
reaches the latest through the migrations, ends up exactly as models.py describes it, keeps
its rows, and running the migrations again changes nothing. On SQLite, or on the PostgreSQL
of DATABASE_URL (in schemas of its own, dropped afterwards)."""
import uuid
from contextlib import contextmanager

from playhouse.db_url import connect

import migrations
from models import ALL_MODELS, SchemaVersion
from tests.support.ambiente import database_url


@contextmanager
def banco_vazio(tmp_path):
    url = database_url(tmp_path)
    if url.startswith("sqlite"):
        banco = connect(f"sqlite:///{tmp_path / uuid.uuid4().hex}.db",
                        pragmas={"foreign_keys": 1})
        yield banco
        banco.close()
        return
    esquema = f"teste_{uuid.uuid4().hex[:12]}"
    admin = connect(url)
    admin.execute_sql(f'CREATE SCHEMA "{esquema}"')
    banco = connect(url, options=f"-c search_path={esquema}")
    try:
        yield banco
    finally:
        banco.close()
        admin.execute_sql(f'DROP SCHEMA "{esquema}" CASCADE')
        admin.close()


def esquema(banco):
    """Tables with their columns, indexes and foreign keys, as the database reports them."""
    return {
        tabela: {
            "colunas": sorted((c.name, c.full_type or c.data_type, c.null, c.primary_key,
                               c.default) for c in banco.get_columns(tabela)),
            "indices": sorted((tuple(i.columns), i.unique) for i in banco.get_indexes(tabela)),
            "chaves": sorted((f.column, f.dest_table, f.dest_column, f.on_delete or "")
                             for f in banco.get_foreign_keys(tabela)),
        }
        for tabela in banco.get_tables()
    }


def test_a_database_at_the_first_version_is_migrated_to_the_models_schema(tmp_path):
    inicial = migrations.MIGRACOES[0]
    with banco_vazio(tmp_path) as banco, banco_vazio(tmp_path) as referencia:
        assert migrations.migrate(banco, ate=1) == 1
        assert set(banco.get_tables()) == {m._meta.table_name for m in inicial.TABELAS}
        with banco.bind_ctx(inicial.TABELAS):
            inicial.Conta.create(cpf="12345678909", nome="Maria da Silva",
                                 email="maria@example.com", telefone="", senha_hash="",
                                 papel="comprador", criado_em="2026-01-02 03:04:05")

        assert migrations.migrate(banco) == migrations.ULTIMA
        assert migrations.versao_atual(banco) == migrations.ULTIMA
        with referencia.bind_ctx(ALL_MODELS):
            referencia.create_tables(ALL_MODELS)
        assert esquema(banco) == esquema(referencia)
        assert banco.execute_sql("SELECT cpf FROM conta").fetchall() == [("12345678909",)]

        assert migrations.migrate(banco) == migrations.ULTIMA  # nothing left to run
        with banco.bind_ctx([SchemaVersion]):
            assert [v.versao for v in SchemaVersion.select().order_by(SchemaVersion.versao)] \
                == list(range(1, migrations.ULTIMA + 1))


def test_a_new_database_starts_at_the_first_version_and_reaches_the_latest(tmp_path):
    with banco_vazio(tmp_path) as banco:
        assert migrations.versao_atual(banco) == 0
        assert migrations.migrate(banco) == migrations.ULTIMA
        assert {m._meta.table_name for m in ALL_MODELS} <= set(banco.get_tables())
