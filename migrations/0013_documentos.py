"""Documentos: the holder's identity document sent before the videoconference (each sending
and its encrypted files), checked by an agent. Tables frozen here."""
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Certificado(_Tabela):
    """Only to point the foreign key at the existing table (never created here)."""


class Atribuicao(_Tabela):
    """Only to point the foreign key at the existing table (never created here)."""


class EnvioDocumento(_Tabela):
    certificado = ForeignKeyField(Certificado, index=False)
    atribuicao = ForeignKeyField(Atribuicao, index=False)
    situacao = CharField(max_length=10)
    motivo = CharField(max_length=500)
    enviado_em = DateTimeField()
    decidido_em = DateTimeField(null=True)

    class Meta:
        indexes = ((("certificado", "id"), False), (("atribuicao", "id"), False))


class ArquivoDocumento(_Tabela):
    envio = ForeignKeyField(EnvioDocumento, index=True, on_delete="CASCADE")
    parte = CharField(max_length=10)
    tipo = CharField(max_length=20)
    tamanho = IntegerField()
    cifrado = BlobField()


def up(migrator, db):
    with db.bind_ctx([Certificado, Atribuicao, EnvioDocumento, ArquivoDocumento]):
        db.create_tables([EnvioDocumento, ArquivoDocumento])
