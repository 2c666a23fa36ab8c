"""Volume (docs/escala.md): the purchase's buyer copied onto certificates and boletos, and
one index per list, matching its WHERE and its order (newest first, by id)."""
from peewee import ForeignKeyField, Model

# The "Em andamento" filter's states, frozen here as the partial index was created.
EM_ANDAMENTO = ("aguardando_pagamento", "disponivel", "atribuido", "solicitado", "agendado",
                "pendente_correcao")


class _Conta(Model):
    class Meta:
        table_name = "conta"


class _DoComprador(Model):
    """Owns the frozen column added to certificado and boleto."""

    comprador = ForeignKeyField(_Conta, null=True, index=False)


def up(migrator, db):
    for tabela in ("certificado", "boleto"):
        migrator.migrate(migrator.add_column(tabela, "comprador_id", _DoComprador.comprador))
        db.execute_sql(f'UPDATE "{tabela}" SET comprador_id = (SELECT p.comprador_id FROM '
                       f'processo_compra p WHERE p.id = "{tabela}".processo_id)')
    migrator.migrate(
        migrator.add_index("processo_compra", ("comprador_id", "id")),
        migrator.add_index("processo_compra", ("comprador_id", "numero")),
        migrator.add_index("certificado", ("comprador_id", "id")),
        migrator.add_index("certificado", ("comprador_id", "situacao", "id")),
        migrator.add_index("boleto", ("comprador_id", "id")),
        migrator.add_index("evento", ("processo_id", "id")),
        migrator.add_index("evento", ("certificado_id", "id")),
    )
    # Partial indexes (the migrator has no WHERE): the same SQL on SQLite and PostgreSQL.
    estados = ", ".join(f"'{s}'" for s in EM_ANDAMENTO)
    db.execute_sql('CREATE INDEX "certificado_em_andamento" ON "certificado" '
                   f'("comprador_id", "id") WHERE "situacao" IN ({estados})')
    verdadeiro = "true" if "postgres" in type(db).__name__.lower() else "1"
    db.execute_sql('CREATE INDEX "pagamento_sinalizado" ON "pagamento" ("id") '
                   f'WHERE "sinalizado" = {verdadeiro}')
