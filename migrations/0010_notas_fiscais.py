"""Nota fiscal (issue 22, item 3): the NFS-e the back office attaches to a paid purchase, PDF
and/or XML; a replaced one stays as history. Table frozen here."""
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class ProcessoCompra(_Tabela):
    """Only to point the foreign key at the existing table (never created here)."""


class Conta(_Tabela):
    """Only to point the foreign key at the existing table (never created here)."""


class NotaFiscal(_Tabela):
    processo = ForeignKeyField(ProcessoCompra, index=True)
    numero = CharField(max_length=15)
    pdf = BlobField(null=True)
    xml = BlobField(null=True)
    enviada_em = DateTimeField()
    enviada_por = ForeignKeyField(Conta)
    substituida_em = DateTimeField(null=True)
    vigente_processo = IntegerField(null=True, unique=True)


def up(migrator, db):
    with db.bind_ctx([ProcessoCompra, Conta, NotaFiscal]):
        db.create_tables([NotaFiscal])
