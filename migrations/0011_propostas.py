"""Buying as a public body (issue 22): propostas comerciais addressed to an organisation,
the nota de empenho number a purchase may carry, and the empenho's PDF. Tables frozen here."""
from peewee import (BlobField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model)


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Contratante(_Tabela):
    """Only to point the foreign keys at the existing tables (never created here)."""


class Conta(_Tabela):
    pass


class ProcessoCompra(_Tabela):
    pass


class Proposta(_Tabela):
    numero = CharField(max_length=20, unique=True)
    contratante = ForeignKeyField(Contratante, index=False)
    autor = ForeignKeyField(Conta)
    codigo_verificacao = CharField(max_length=19)
    quantidade = IntegerField()
    valor_unitario_centavos = IntegerField()
    total_centavos = IntegerField()
    destinatario_nome = CharField(max_length=150)
    destinatario_documento = CharField(max_length=30)
    destinatario_endereco = CharField(max_length=300, default="")
    criada_em = DateTimeField()
    valida_ate = DateField()
    situacao = CharField(max_length=20)
    processo = ForeignKeyField(ProcessoCompra, null=True, unique=True)

    class Meta:
        indexes = ((("contratante", "id"), False),)


class EmpenhoPdf(_Tabela):
    processo = ForeignKeyField(ProcessoCompra, unique=True)
    nome = CharField(max_length=120)
    sha256 = CharField(max_length=64)
    pdf = BlobField()
    enviado_em = DateTimeField()


def up(migrator, db):
    migrator.migrate(migrator.add_column("processo_compra", "empenho",
                                         CharField(max_length=30, default="")))
    with db.bind_ctx([Proposta, EmpenhoPdf]):
        db.create_tables([Proposta, EmpenhoPdf])
