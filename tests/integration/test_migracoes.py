"""Schema versions: a database at the first version (the initial tables), with data in it,
reaches the latest through the migrations, ends up exactly as models.py describes it, keeps
its rows, and running the migrations again changes nothing; one the earlier runner left at
version 6 moves to Peewee's runner without running a script twice. On SQLite, or on the
PostgreSQL of DATABASE_URL (in schemas of its own, dropped afterwards)."""
import uuid
from contextlib import contextmanager

import pytest
from peewee import SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrate import SchemaMigrator
from playhouse.migrations import Migration, MigrationError

import migrations
from models import ALL_MODELS
from tests.support.ambiente import database_url

PRIMEIRA = migrations.NOMES[0]


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
        if tabela != migrations.HISTORICO  # the runner's, not a model
    }


def test_a_database_at_the_first_version_is_migrated_to_the_models_schema(tmp_path):
    inicial = Migration.load_directory(migrations.PASTA)[0].load()
    with banco_vazio(tmp_path) as banco, banco_vazio(tmp_path) as referencia:
        assert migrations.migrate(banco, ate=PRIMEIRA) == [PRIMEIRA]
        assert set(banco.get_tables()) == {m._meta.table_name for m in inicial.TABELAS} | {
            migrations.HISTORICO}
        with banco.bind_ctx(inicial.TABELAS):
            inicial.Conta.create(cpf="12345678909", nome="Maria da Silva",
                                 email="maria@example.com", telefone="", senha_hash="",
                                 papel="comprador", criado_em="2026-01-02 03:04:05")

        assert migrations.migrate(banco) == migrations.NOMES[1:]
        assert migrations.aplicadas(banco) == migrations.NOMES
        with referencia.bind_ctx(ALL_MODELS):
            referencia.create_tables(ALL_MODELS)
        assert esquema(banco) == esquema(referencia)
        assert banco.execute_sql("SELECT cpf FROM conta").fetchall() == [("12345678909",)]

        assert migrations.migrate(banco) == []  # nothing left to run
        assert migrations.aplicadas(banco) == migrations.NOMES


def test_a_new_database_starts_at_the_first_version_and_reaches_the_latest(tmp_path):
    with banco_vazio(tmp_path) as banco:
        assert migrations.aplicadas(banco) == []
        assert migrations.migrate(banco) == migrations.NOMES
        assert {m._meta.table_name for m in ALL_MODELS} <= set(banco.get_tables())


def banco_do_runner_antigo(banco, versao):
    """A database as the earlier runner left it at `versao`: the scripts up to it applied, each
    version a row of `schema_version`, no history table."""
    migrator = SchemaMigrator.from_database(banco)
    for numero, migracao in enumerate(Migration.load_directory(migrations.PASTA)[:versao], 1):
        with migrator.migration_context():
            migracao.load().up(migrator, banco)
            banco.execute_sql(f"INSERT INTO schema_version (versao, aplicada_em) VALUES "
                              f"({numero}, '2026-0{numero}-01 12:00:00')")


# Rows in tables of 0001, 0002 (lote), 0003 (comprador_id) and 0006 (certificado_x509).
LINHAS_ANTIGAS = {
    "conta": "(id, cpf, nome, email, telefone, senha_hash, papel, criado_em, sessao_geracao) "
             "VALUES (7, '12345678909', 'Maria', 'm@example.com', '', 'h', 'comprador', "
             "'2026-01-02 03:04:05', 3)",
    "produto": "(id, codigo, nome, descricao, preco_centavos, validade_meses) "
               "VALUES (1, 'p', 'P', '', 15000, 12)",
    "processo_compra": "(id, numero, comprador_id, produto_id, quantidade, "
                       "valor_unitario_centavos, total_centavos, situacao, criado_em) "
                       "VALUES (3, '2026000003', 7, 1, 1, 15000, 15000, 'pago', "
                       "'2026-01-02 03:04:05')",
    "certificado": "(id, processo_id, numero, situacao, versao, atualizado_em, comprador_id) "
                   "VALUES (5, 3, '2026000003-01', 'emitido', 1, '2026-01-02 03:04:05', 7)",
    "certificado_x509": "(id, certificado_id, serial, pem, origem, emitido_em, valido_ate, "
                        "motivo_revogacao, ativo_certificado, avisos_renovacao) VALUES (2, 5, "
                        "'0a1b', 'PEM', 'ac', '2026-01-03 10:00:00', '2027-01-03 10:00:00', '', "
                        "5, '')",
    "lote": "(id, conta_id, acao, formato, nome_arquivo, situacao, total, validas, erros, "
            "criado_em) VALUES (4, 7, 'atribuir', 'csv', 'a.csv', 'concluido', 1, 1, 0, "
            "'2026-01-04 10:00:00')",
}


def test_a_database_of_the_earlier_runner_keeps_its_rows_and_runs_only_the_new_scripts(
        tmp_path):
    with banco_vazio(tmp_path) as banco, banco_vazio(tmp_path) as referencia:
        banco_do_runner_antigo(banco, 6)
        for tabela, valores in LINHAS_ANTIGAS.items():
            banco.execute_sql(f"INSERT INTO {tabela} {valores}")
        colunas = {t: [c[0] for c in banco.execute_sql(f"SELECT * FROM {t}").description]
                   for t in LINHAS_ANTIGAS}
        # 0008 drops the buyer copies (now the contratante's): the other columns stay as they were.
        colunas["certificado"].remove("comprador_id")

        def linhas():
            return {t: banco.execute_sql(f"SELECT {', '.join(colunas[t])} FROM {t} "
                                         "ORDER BY id").fetchall() for t in LINHAS_ANTIGAS}

        antes = linhas()

        # 0001…0006 are recorded as applied, not run again (0003 or 0006 would fail adding
        # their columns twice); only what came after runs.
        assert migrations.migrate(banco) == migrations.NOMES[6:]
        assert migrations.aplicadas(banco) == migrations.NOMES
        assert linhas() == antes
        assert "schema_version" not in banco.get_tables()
        with referencia.bind_ctx(ALL_MODELS):
            referencia.create_tables(ALL_MODELS)
        assert esquema(banco) == esquema(referencia)
        assert migrations.migrate(banco) == []


def test_on_sqlite_a_migration_that_leaves_a_dangling_reference_is_rolled_back(tmp_path):
    with banco_vazio(tmp_path) as banco:
        if not isinstance(banco, SqliteDatabase):
            pytest.skip("SQLite's foreign-key switch; PostgreSQL checks every statement")
        migrations.migrate(banco, ate=PRIMEIRA)
        migrator = migrations._runner(banco).migrator
        with pytest.raises(MigrationError, match="referências sem destino"):
            with migrator.migration_context():
                banco.execute_sql("INSERT INTO token_conta (conta_id, token_hash, finalidade, "
                                  "criado_em, expira_em) VALUES (99, 'x', 'senha', "
                                  "'2026-01-01', '2026-01-02')")
        assert banco.execute_sql("SELECT COUNT(*) FROM token_conta").fetchone() == (0,)
        assert banco.pragma("foreign_keys") == 1
