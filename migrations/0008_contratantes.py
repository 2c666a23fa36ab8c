"""Organisations as the buyer (issue 21): a purchase belongs to a contratante (a CNPJ, or a
person buying for themself), which people join as responsáveis with a papel.

Every existing buyer becomes a personal contratante (their CPF and name) with themself as
Gestor, active after the next sign-in; each purchase, certificate, boleto, batch and event
moves to the contratante of the purchase's buyer, so nothing changes hands. The copies of the
buyer that certificates and boletos carried for their lists become copies of the contratante,
with the same indexes. Tables frozen here."""
from peewee import CharField, DateTimeField, ForeignKeyField, Model

from relogio import utcnow

# The "Em andamento" filter's states, frozen as in 0003.
EM_ANDAMENTO = ("aguardando_pagamento", "disponivel", "atribuido", "solicitado", "agendado",
                "pendente_correcao")


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Conta(_Tabela):
    pass


class Contratante(_Tabela):
    tipo = CharField(max_length=4)
    documento = CharField(max_length=14, unique=True)
    nome = CharField(max_length=150)
    cep = CharField(max_length=8, default="")
    logradouro = CharField(max_length=120, default="")
    numero = CharField(max_length=20, default="")
    complemento = CharField(max_length=60, default="")
    bairro = CharField(max_length=60, default="")
    cidade = CharField(max_length=60, default="")
    uf = CharField(max_length=2, default="")
    criado_em = DateTimeField()


class Responsavel(_Tabela):
    contratante = ForeignKeyField(Contratante)
    conta = ForeignKeyField(Conta, index=True)
    papel = CharField(max_length=20)
    desde = DateTimeField()

    class Meta:
        indexes = ((("contratante", "conta"), True),)


class Convite(_Tabela):
    contratante = ForeignKeyField(Contratante, index=True)
    cpf = CharField(max_length=11)
    email = CharField(max_length=254)
    papel = CharField(max_length=20)
    token_hash = CharField(max_length=64, unique=True)
    nonce = CharField(max_length=64, default="")
    convidado_por = ForeignKeyField(Conta, null=True)
    criado_em = DateTimeField()
    expira_em = DateTimeField()
    aceito_em = DateTimeField(null=True)
    cancelado_em = DateTimeField(null=True)
    aberto = CharField(max_length=30, null=True, unique=True)


class _Coluna(Model):
    """Owns the frozen columns added below."""

    contratante = ForeignKeyField(Contratante, null=True, index=False)


DO_PROCESSO = {
    "processo_compra": None,
    "certificado": "processo_id",
    "boleto": "processo_id",
    "evento": "processo_id",
}


def up(migrator, db):
    with db.bind_ctx([Contratante, Responsavel, Convite]):
        db.create_tables([Contratante, Responsavel, Convite])
    agora = utcnow()
    # Every buyer (anyone who is not an agent) becomes a personal contratante, Gestor of it.
    db.execute_sql(
        "INSERT INTO contratante (tipo, documento, nome, cep, logradouro, numero, complemento, "
        "bairro, cidade, uf, criado_em) SELECT 'cpf', c.cpf, c.nome, '', '', '', '', '', '', "
        "'', c.criado_em FROM conta c WHERE c.papel <> 'agente' ORDER BY c.id")
    db.execute_sql(
        "INSERT INTO responsavel (contratante_id, conta_id, papel, desde) SELECT k.id, c.id, "
        "'gestor', %s FROM conta c JOIN contratante k ON k.documento = c.cpf" % _param(db),
        (agora,))
    migrator.migrate(migrator.add_column("conta", "contratante_ativo_id", _Coluna.contratante))
    db.execute_sql("UPDATE conta SET contratante_ativo_id = (SELECT k.id FROM contratante k "
                   "WHERE k.documento = conta.cpf) WHERE papel <> 'agente'")

    for tabela in ("processo_compra", "certificado", "boleto", "evento", "lote"):
        migrator.migrate(migrator.add_column(tabela, "contratante_id", _Coluna.contratante))
    db.execute_sql("UPDATE processo_compra SET contratante_id = (SELECT c.contratante_ativo_id "
                   "FROM conta c WHERE c.id = processo_compra.comprador_id)")
    for tabela in ("certificado", "boleto", "evento"):
        db.execute_sql(f'UPDATE "{tabela}" SET contratante_id = (SELECT p.contratante_id FROM '
                       f'processo_compra p WHERE p.id = "{tabela}".processo_id)')
    db.execute_sql("UPDATE lote SET contratante_id = (SELECT c.contratante_ativo_id FROM conta c "
                   "WHERE c.id = lote.conta_id)")

    # The buyer copies give way to the contratante copies, index for index.
    for indice in ("certificado_em_andamento",):
        db.execute_sql(f'DROP INDEX IF EXISTS "{indice}"')
    migrator.migrate(
        migrator.drop_index("processo_compra", "processo_compra_comprador_id_id"),
        migrator.drop_index("processo_compra", "processo_compra_comprador_id_numero"),
        migrator.drop_index("certificado", "certificado_comprador_id_id"),
        migrator.drop_index("certificado", "certificado_comprador_id_situacao_id"),
        migrator.drop_index("boleto", "boleto_comprador_id_id"),
    )
    migrator.migrate(
        migrator.drop_column("certificado", "comprador_id"),
        migrator.drop_column("boleto", "comprador_id"),
    )
    migrator.migrate(
        *(migrator.add_not_null(tabela, "contratante_id")
          for tabela in ("processo_compra", "certificado", "boleto", "lote")),
        migrator.drop_not_null("evento", "processo_id"),
    )
    migrator.migrate(
        migrator.add_index("processo_compra", ("contratante_id", "id")),
        migrator.add_index("processo_compra", ("contratante_id", "numero")),
        migrator.add_index("certificado", ("contratante_id", "id")),
        migrator.add_index("certificado", ("contratante_id", "situacao", "id")),
        migrator.add_index("boleto", ("contratante_id", "id")),
        migrator.add_index("evento", ("contratante_id", "id")),
        migrator.add_index("evento", ("contratante_id", "conta_id", "id")),
        migrator.add_index("lote", ("contratante_id",)),
    )
    estados = ", ".join(f"'{s}'" for s in EM_ANDAMENTO)
    db.execute_sql('CREATE INDEX "certificado_em_andamento" ON "certificado" '
                   f'("contratante_id", "id") WHERE "situacao" IN ({estados})')


def _param(db):
    return "%s" if "postgres" in type(db).__name__.lower() else "?"
